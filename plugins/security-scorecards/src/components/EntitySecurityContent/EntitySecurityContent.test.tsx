import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityScorecard,
  RubricResponse,
} from '@secdevops/plugin-security-scorecards-common';
import { screen } from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { EntitySecurityContent } from './EntitySecurityContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments' },
};
const entityRef = 'component:default/payments';

const rubric: RubricResponse = {
  levels: [
    { rank: 1, name: 'Baseline' },
    { rank: 2, name: 'Managed' },
  ],
  checks: [],
  targetLevel: 2,
};

const scorecard: EntityScorecard = {
  entityRef,
  level: { rank: 1, name: 'Baseline' },
  score: 55,
  checks: [
    {
      id: 'sbom',
      title: 'SBOM present',
      level: 1,
      status: 'pass',
      evidence: 'CycloneDX SBOM from 2 days ago',
      guidance: 'Generate an SBOM in CI.',
    },
    {
      id: 'no-secrets',
      title: 'No open secret findings',
      level: 2,
      status: 'fail',
      evidence: '2 open secret findings',
      guidance: 'Rotate the secrets, then remove them from the history.',
    },
  ],
  openFindings: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
  pastSla: 0,
  lastScans: {},
  evaluatedAt: '2026-11-28T10:00:00.000Z',
  trend: {
    days30: { days: 30, to: 55, delta: 0, direction: 'flat' },
    days90: { days: 90, to: 55, delta: 0, direction: 'flat' },
  },
};

function apiWith(overrides: Partial<SecurityScorecardsApi> = {}) {
  return {
    getEntityScorecard: jest.fn().mockResolvedValue(scorecard),
    getRubric: jest.fn().mockResolvedValue(rubric),
    getScorecardHistory: jest.fn().mockResolvedValue({
      entityRef,
      items: [
        {
          day: '2026-11-27',
          score: 50,
          openFindings: { critical: 1, high: 1, medium: 0, low: 0, info: 0 },
          pastSla: 1,
        },
        {
          day: '2026-11-28',
          score: 55,
          openFindings: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
          pastSla: 0,
        },
      ],
    }),
    listFindings: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    listDependencies: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    ...overrides,
  };
}

async function renderContent(api: Partial<SecurityScorecardsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[securityScorecardsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntitySecurityContent />
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: ['/security'] },
  );
}

describe('EntitySecurityContent', () => {
  it('shows the checklist by level, the history and the findings', async () => {
    const api = apiWith();

    await renderContent(api);

    expect(
      await screen.findByText('No open secret findings'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('L1 Baseline').length).toBeGreaterThan(0);
    expect(screen.getByText('L2 Managed')).toBeInTheDocument();
    expect(screen.getByText('Score 55 / 100')).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: /^Score from 50 to 55/ }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No findings match these filters.'),
    ).toBeInTheDocument();
    expect(api.getScorecardHistory).toHaveBeenCalledWith({
      entityRef,
      days: 90,
    });
  });

  it('keeps the findings when the scorecard fails', async () => {
    await renderContent(
      apiWith({
        getEntityScorecard: jest
          .fn()
          .mockRejectedValue(new Error('not graded yet')),
      }),
    );

    expect(
      await screen.findByText('Error: not graded yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No findings match these filters.'),
    ).toBeInTheDocument();
  });
});
