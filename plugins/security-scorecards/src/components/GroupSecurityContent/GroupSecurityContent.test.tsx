import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { Escalation } from '@secdevops/plugin-security-scorecards-common';
import { screen, within } from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { GroupSecurityContent } from './GroupSecurityContent';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'fraud-detection', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const emptyRollup = {
  groupRef: 'group:default/fraud-detection',
  title: 'Fraud Detection',
  targetLevel: 2,
  entityCount: 0,
  levelDistribution: {},
  averageScore: 0,
  atTarget: 0,
  shareAtTarget: 0,
  openFindings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  pastSla: 0,
  mttrDays: {
    critical: null,
    high: null,
    medium: null,
    low: null,
    info: null,
  },
  children: [],
  lowestEntities: [],
  compliance: [],
  trend: [],
};

const escalation: Escalation = {
  id: 'e1',
  entityRef: 'component:default/fraud-scoring',
  targetRef: 'group:default/payments',
  level: 2,
  state: 'active',
  findingCount: 3,
  severity: 'high',
  breachedAt: new Date(Date.now() - 9.5 * 86_400_000).toISOString(),
  nextStepAt: new Date(Date.now() + 4.2 * 86_400_000).toISOString(),
  ladder: [
    {
      level: 1,
      targetRef: 'group:default/fraud-detection',
      dueAt: new Date(Date.now() - 9.5 * 86_400_000).toISOString(),
      notifiedAt: new Date(Date.now() - 9.4 * 86_400_000).toISOString(),
    },
    {
      level: 2,
      targetRef: 'group:default/payments',
      dueAt: new Date(Date.now() - 2.5 * 86_400_000).toISOString(),
      notifiedAt: new Date(Date.now() - 2.4 * 86_400_000).toISOString(),
    },
  ],
};

async function renderTab(api: Partial<SecurityScorecardsApi>) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          securityScorecardsApiRef,
          {
            getGroupScorecard: jest.fn().mockResolvedValue(emptyRollup),
            getRubric: jest.fn().mockRejectedValue(new Error('no rubric')),
            ...api,
          },
        ],
        [
          identityApiRef,
          mockApis.identity({
            ownershipEntityRefs: [
              'user:default/jane',
              'group:default/fraud-detection',
            ],
          }),
        ],
      ]}
    >
      <EntityProvider entity={group}>
        <GroupSecurityContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('GroupSecurityContent', () => {
  it('shows the rollup of the group on its page', async () => {
    const getGroupScorecard = jest.fn().mockResolvedValue(emptyRollup);

    await renderTab({
      getGroupScorecard,
      listEscalations: jest.fn().mockResolvedValue({ items: [] }),
    });

    expect(await screen.findByText('Fraud Detection')).toBeInTheDocument();
    expect(screen.getByText('No entities')).toBeInTheDocument();
    expect(getGroupScorecard).toHaveBeenCalledWith({
      entityRef: 'group:default/fraud-detection',
      targetLevel: undefined,
    });
    expect(
      await screen.findByText(
        'No active escalations in this group or its sub-groups.',
      ),
    ).toBeInTheDocument();
  });

  it("lists the active escalations of the group's subtree", async () => {
    const listEscalations = jest
      .fn()
      .mockResolvedValue({ items: [escalation] });

    await renderTab({ listEscalations });

    const link = await screen.findByRole('link', { name: 'fraud-scoring' });
    const row = link.closest('tr')!;
    expect(screen.getByText('Escalations')).toBeInTheDocument();
    expect(within(row).getByText('your team')).toBeInTheDocument();
    expect(within(row).getByText('Level 2')).toBeInTheDocument();
    expect(within(row).getByText('9 days')).toBeInTheDocument();
    expect(within(row).getByText('in 4 days')).toBeInTheDocument();
    expect(
      within(row).getByRole('list', { name: 'Owner chain' }),
    ).toHaveTextContent(/L1 fraud-detection.*L2 payments/);
    expect(listEscalations).toHaveBeenCalledWith({
      groupRef: 'group:default/fraud-detection',
      state: 'active',
    });
  });

  it('keeps the rollup when the escalations cannot be read', async () => {
    await renderTab({
      listEscalations: jest
        .fn()
        .mockRejectedValue(new Error('escalations unavailable')),
    });

    expect(
      await screen.findByText('Error: escalations unavailable'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Fraud Detection')).toBeInTheDocument();
  });
});
