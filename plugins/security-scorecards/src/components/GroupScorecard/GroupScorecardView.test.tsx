import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ChildGroupRollup,
  GroupScorecard,
  RubricResponse,
  ScorecardRollupStats,
} from '@secdevops/plugin-security-scorecards-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { GroupScorecardView } from './GroupScorecardView';

const rubric: RubricResponse = {
  levels: [
    { rank: 0, name: 'Not graded' },
    { rank: 1, name: 'Baseline' },
    { rank: 2, name: 'Managed' },
    { rank: 3, name: 'Defined' },
  ],
  checks: [],
  targetLevel: 2,
};

function statsOf(
  overrides: Partial<ScorecardRollupStats>,
): ScorecardRollupStats {
  return {
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
    ...overrides,
  };
}

const payments: ChildGroupRollup = {
  groupRef: 'group:default/payments',
  title: 'Payments',
  ...statsOf({
    entityCount: 4,
    levelDistribution: { '1': 3, '2': 1 },
    averageScore: 48.5,
    atTarget: 1,
    shareAtTarget: 0.25,
    openFindings: { critical: 2, high: 6, medium: 1, low: 0, info: 0 },
    pastSla: 3,
  }),
};
const storefront: ChildGroupRollup = {
  groupRef: 'group:default/storefront',
  ...statsOf({
    entityCount: 2,
    levelDistribution: { '2': 1, '3': 1 },
    averageScore: 81,
    atTarget: 2,
    shareAtTarget: 1,
  }),
};

const commerce: GroupScorecard = {
  groupRef: 'group:default/commerce',
  title: 'Commerce',
  targetLevel: 2,
  ...statsOf({
    entityCount: 6,
    levelDistribution: { '1': 3, '2': 2, '3': 1 },
    averageScore: 59.3,
    atTarget: 3,
    shareAtTarget: 0.5,
    openFindings: { critical: 2, high: 6, medium: 1, low: 4, info: 0 },
    pastSla: 3,
    mttrDays: { critical: 4.5, high: 21, medium: null, low: null, info: null },
  }),
  children: [payments, storefront],
  lowestEntities: [
    {
      entityRef: 'component:default/payments-api',
      title: 'Payments API',
      ownerRef: 'group:default/payments',
      level: { rank: 1, name: 'Baseline' },
      score: 31,
      openFindings: { critical: 2, high: 3, medium: 0, low: 0, info: 0 },
      pastSla: 2,
      evaluatedAt: '2026-11-28T10:00:00.000Z',
    },
  ],
  compliance: [
    {
      checkId: 'secrets-scan',
      title: 'Secrets scan within 14 days',
      level: 2,
      cells: {
        'group:default/payments': { pass: 1, fail: 3, notApplicable: 0 },
        'group:default/storefront': { pass: 2, fail: 0, notApplicable: 0 },
        self: { pass: 0, fail: 0, notApplicable: 0 },
      },
    },
    {
      checkId: 'has-owner',
      title: 'Has an owner',
      level: 1,
      cells: {
        'group:default/payments': { pass: 4, fail: 0, notApplicable: 0 },
        'group:default/storefront': { pass: 0, fail: 0, notApplicable: 2 },
      },
    },
  ],
  trend: [
    {
      day: '2026-11-27',
      score: 57,
      openFindings: { critical: 3, high: 6, medium: 1, low: 4, info: 0 },
      pastSla: 4,
      entityCount: 6,
    },
    {
      day: '2026-11-28',
      score: 59.3,
      openFindings: { critical: 2, high: 6, medium: 1, low: 4, info: 0 },
      pastSla: 3,
      entityCount: 6,
    },
  ],
};

function apiWith(overrides: Partial<SecurityScorecardsApi> = {}) {
  return {
    getGroupScorecard: jest.fn().mockResolvedValue(commerce),
    getRubric: jest.fn().mockResolvedValue(rubric),
    exportGroupCsv: jest
      .fn()
      .mockResolvedValue(new Blob(['entityRef,score\n'], { type: 'text/csv' })),
    ...overrides,
  };
}

async function renderView(
  api: Partial<SecurityScorecardsApi>,
  options: { groupRef?: string; path?: string } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[securityScorecardsApiRef, api]]}>
      <GroupScorecardView groupRef={options.groupRef} />
    </TestApiProvider>,
    {
      routeEntries: [options.path ?? '/security'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('GroupScorecardView', () => {
  it('shows the headline figures of the subtree', async () => {
    const api = apiWith();

    await renderView(api, { groupRef: 'group:default/commerce' });

    expect(await screen.findByText('Commerce')).toBeInTheDocument();
    expect(screen.getByLabelText('Average score')).toHaveTextContent('59.3');
    expect(screen.getByLabelText('At target')).toHaveTextContent('50%');
    expect(
      screen.getByText('3 of 6 at L2 Managed or above'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Past SLA')).toHaveTextContent('3');
    expect(
      screen.getByRole('img', {
        name: 'L1 Baseline: 3, L2 Managed: 2, L3 Defined: 1',
      }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Open low: 4')).toBeInTheDocument();
    const mttr = within(
      screen.getByRole('table', { name: 'Mean time to remediate' }),
    );
    expect(mttr.getByText('4.5 days')).toBeInTheDocument();
    expect(mttr.getByText('21 days')).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Score from 57 to 59.3/ }),
    ).toBeInTheDocument();
    expect(api.getGroupScorecard).toHaveBeenCalledWith({
      entityRef: 'group:default/commerce',
      targetLevel: undefined,
    });
  });

  it('lists the child teams side by side, linked to their Security tab', async () => {
    await renderView(apiWith(), { groupRef: 'group:default/commerce' });

    const teams = await screen.findByText('Teams');
    const table = within(teams.closest('.MuiPaper-root') as HTMLElement);
    expect(table.getByText('Payments').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/group/payments/security',
    );
    expect(table.getByText('storefront').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/group/storefront/security',
    );
    expect(table.getByText('48.5')).toBeInTheDocument();
    expect(table.getByText('25% (1)')).toBeInTheDocument();
    expect(table.getByText('100% (2)')).toBeInTheDocument();
  });

  it('colours the compliance grid by the share of passing entities', async () => {
    await renderView(apiWith(), { groupRef: 'group:default/commerce' });

    const grid = within(
      await screen.findByRole('table', {
        name: 'Compliance by check and team',
      }),
    );
    const rows = grid.getAllByRole('row');
    // Lowest level first.
    expect(rows[1]).toHaveTextContent('Has an owner');
    expect(rows[2]).toHaveTextContent('Secrets scan within 14 days');
    const failing = grid.getByLabelText(
      'Secrets scan within 14 days, Payments: 1/4 pass',
    );
    expect(failing).toHaveTextContent('1/4');
    expect(failing).toHaveStyle({
      backgroundColor: 'hsla(30, 70%, 45%, 0.35)',
    });
    expect(
      grid.getByLabelText('Secrets scan within 14 days, storefront: 2/2 pass'),
    ).toHaveStyle({ backgroundColor: 'hsla(120, 70%, 45%, 0.35)' });
    expect(
      grid.getByLabelText('Has an owner, storefront: not applicable'),
    ).toHaveTextContent('n/a');
    // No entity owned by the group itself: no "Owned directly" column.
    expect(grid.queryByText('Owned directly')).not.toBeInTheDocument();
  });

  it('lists the lowest-scoring entities with links to their Security tab', async () => {
    await renderView(apiWith(), { groupRef: 'group:default/commerce' });

    expect(
      (await screen.findByText('Payments API')).closest('a'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/security',
    );
    expect(screen.getByText('2 critical, 3 high')).toBeInTheDocument();
    expect(screen.getByText('31')).toBeInTheDocument();
  });

  it('reads the target level from the URL and changes it there', async () => {
    const api = apiWith();
    await renderView(api, {
      groupRef: 'group:default/commerce',
      path: '/security?target=3',
    });
    await screen.findByText('Commerce');
    expect(api.getGroupScorecard).toHaveBeenCalledWith({
      entityRef: 'group:default/commerce',
      targetLevel: 3,
    });

    fireEvent.mouseDown(screen.getByRole('button', { name: /L2 Managed/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'L1 Baseline' }));

    await waitFor(() =>
      expect(api.getGroupScorecard).toHaveBeenLastCalledWith({
        entityRef: 'group:default/commerce',
        targetLevel: 1,
      }),
    );
  });

  it('downloads the CSV export through the API', async () => {
    const createObjectURL = jest.fn().mockReturnValue('blob:csv');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function clickLink(this: HTMLAnchorElement) {
        expect(this.download).toBe('security-scorecards-commerce.csv');
        expect(this.href).toBe('blob:csv');
      });
    const api = apiWith();

    await renderView(api, { groupRef: 'group:default/commerce' });
    fireEvent.click(
      await screen.findByRole('button', { name: /Download CSV/ }),
    );

    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(api.exportGroupCsv).toHaveBeenCalledWith({
      entityRef: 'group:default/commerce',
    });
    expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    click.mockRestore();
  });

  it('says when the download fails', async () => {
    await renderView(
      apiWith({
        exportGroupCsv: jest.fn().mockRejectedValue(new Error('forbidden')),
      }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: /Download CSV/ }),
    );

    expect(
      await screen.findByText('Download failed: forbidden'),
    ).toBeInTheDocument();
  });

  it('shows the whole organisation without a group', async () => {
    const api = apiWith({
      getGroupScorecard: jest.fn().mockResolvedValue({
        ...commerce,
        groupRef: undefined,
        title: undefined,
      }),
    });

    await renderView(api);

    expect(await screen.findByText('Whole organisation')).toBeInTheDocument();
    expect(api.getGroupScorecard).toHaveBeenCalledWith({
      entityRef: undefined,
      targetLevel: undefined,
    });
  });

  it('shows the error when the group cannot be read', async () => {
    await renderView(
      apiWith({
        getGroupScorecard: jest
          .fn()
          .mockRejectedValue(new Error('No such group')),
      }),
      { groupRef: 'group:default/nope' },
    );

    expect(await screen.findByText('Error: No such group')).toBeInTheDocument();
  });
});
