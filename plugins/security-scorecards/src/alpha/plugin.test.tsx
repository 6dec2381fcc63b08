import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { securityScorecardsApiRef } from '../api';
import plugin from './plugin';

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

function render(path: string) {
  const api = {
    getRubric: jest
      .fn()
      .mockResolvedValue({ levels: [], checks: [], targetLevel: 2 }),
    getGroupScorecard: jest.fn().mockResolvedValue(emptyRollup),
    findDependencyUsage: jest.fn().mockResolvedValue({ items: [] }),
    listEscalations: jest.fn().mockResolvedValue({ items: [] }),
  };
  renderTestApp({
    features: [plugin],
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [
      [securityScorecardsApiRef, api],
      [
        catalogApiRef,
        { getEntities: jest.fn().mockResolvedValue({ items: [] }) },
      ],
    ],
  });
  return api;
}

describe('security scorecards plugin (new frontend system)', () => {
  it('opens the organisation scorecards at /security-scorecards', async () => {
    const api = render('/security-scorecards?target=3');

    expect(
      await screen.findByText('Whole organisation', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Dependencies' }),
    ).toBeInTheDocument();
    // The page is the sidebar's "Security" item.
    expect(
      within(screen.getByRole('navigation', { name: 'sidebar nav' })).getByRole(
        'link',
        { name: 'Security' },
      ),
    ).toHaveAttribute('href', '/security-scorecards');
    expect(api.getGroupScorecard).toHaveBeenCalledWith({
      entityRef: undefined,
      targetLevel: 3,
    });
  });

  it('searches dependencies at /security-scorecards/dependencies', async () => {
    const api = render('/security-scorecards/dependencies?q=pkg:npm/lodash');

    expect(
      await screen.findByText(
        'pkg:npm/lodash: 0 entities',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(api.findDependencyUsage).toHaveBeenCalledWith({
      purl: 'pkg:npm/lodash',
    });
  });

  it('lists escalations at /security-scorecards/escalations', async () => {
    const api = render('/security-scorecards/escalations?state=closed');

    expect(
      await screen.findByText(
        'No closed escalations.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Escalations' }),
    ).toBeInTheDocument();
    expect(api.listEscalations).toHaveBeenCalledWith({
      groupRef: undefined,
      state: 'closed',
    });
  });
});
