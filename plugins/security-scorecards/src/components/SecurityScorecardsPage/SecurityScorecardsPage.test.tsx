import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { securityScorecardsApiRef } from '../../api';
import { SecurityScorecardsPage } from './SecurityScorecardsPage';

const emptyRollup = {
  targetLevel: 2,
  entityCount: 0,
  levelDistribution: {},
  averageScore: 0,
  atTarget: 0,
  shareAtTarget: 0,
  openFindings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  pastSla: 0,
  mttrDays: { critical: null, high: null, medium: null, low: null, info: null },
  children: [],
  lowestEntities: [],
  compliance: [],
  trend: [],
};

const groups = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { profile: { displayName: 'Payments' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'commerce', namespace: 'default', title: 'Commerce' },
    spec: {},
  },
];

async function renderPage(path: string) {
  const api = {
    getRubric: jest
      .fn()
      .mockResolvedValue({ levels: [], checks: [], targetLevel: 2 }),
    getGroupScorecard: jest.fn().mockImplementation(async query => ({
      ...emptyRollup,
      groupRef: query.entityRef,
      title: query.entityRef ? 'Commerce' : undefined,
    })),
    findDependencyUsage: jest.fn().mockResolvedValue({ items: [] }),
    listEscalations: jest.fn().mockResolvedValue({ items: [] }),
  };
  const catalogApi = {
    getEntities: jest.fn().mockResolvedValue({ items: groups }),
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [securityScorecardsApiRef, api],
        [catalogApiRef, catalogApi],
      ]}
    >
      <Routes>
        <Route
          path="/security-scorecards/*"
          element={<SecurityScorecardsPage />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return { api, catalogApi };
}

describe('SecurityScorecardsPage (legacy frontend system)', () => {
  it('shows the whole organisation with a group picker', async () => {
    const { api, catalogApi } = await renderPage('/security-scorecards');

    expect(await screen.findByText('Whole organisation')).toBeInTheDocument();
    expect(screen.getByText('Security scorecards')).toBeInTheDocument();
    expect(api.getGroupScorecard).toHaveBeenCalledWith({
      entityRef: undefined,
      targetLevel: undefined,
    });
    expect(catalogApi.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'Group' } }),
    );
  });

  it('shows any group given in the URL, and another one picked', async () => {
    const { api } = await renderPage(
      '/security-scorecards?group=group:default/commerce',
    );

    expect(
      await screen.findByText(
        'Every entity owned in the group and its sub-groups',
      ),
    ).toBeInTheDocument();
    expect(api.getGroupScorecard).toHaveBeenCalledWith({
      entityRef: 'group:default/commerce',
      targetLevel: undefined,
    });
    await waitFor(() =>
      expect(screen.getByRole('textbox')).toHaveValue('Commerce'),
    );

    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: 'Pay' },
    });
    fireEvent.click(await screen.findByRole('option', { name: 'Payments' }));

    await waitFor(() =>
      expect(api.getGroupScorecard).toHaveBeenLastCalledWith({
        entityRef: 'group:default/payments',
        targetLevel: undefined,
      }),
    );
  });

  it('has the dependency search under /dependencies', async () => {
    const { api } = await renderPage(
      '/security-scorecards/dependencies?q=pkg:npm/lodash',
    );

    expect(
      await screen.findByText('pkg:npm/lodash: 0 entities'),
    ).toBeInTheDocument();
    expect(api.findDependencyUsage).toHaveBeenCalledWith({
      purl: 'pkg:npm/lodash',
    });
  });

  it('has the escalations under /escalations, for the group in the URL', async () => {
    const { api } = await renderPage(
      '/security-scorecards/escalations?group=group:default/commerce',
    );

    expect(
      await screen.findByText(
        'No active escalations: no finding here is past its SLA.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Escalations' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(api.listEscalations).toHaveBeenCalledWith({
      groupRef: 'group:default/commerce',
      state: 'active',
    });
  });
});
