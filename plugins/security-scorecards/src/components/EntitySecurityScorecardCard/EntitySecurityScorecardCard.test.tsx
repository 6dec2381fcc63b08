import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  CollectorStatus,
  EntityScorecard,
  ScanSummary,
} from '@secdevops/plugin-security-scorecards-common';
import { screen, within } from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { EntitySecurityScorecardCard } from './EntitySecurityScorecardCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team-payments',
    lifecycle: 'production',
  },
};

function scanOf(overrides: Partial<ScanSummary>): ScanSummary {
  return {
    id: 'scan',
    entityRef: 'component:default/payments',
    source: 'semgrep',
    format: 'sarif',
    scanner: 'Semgrep OSS',
    createdAt: '2026-11-27T10:00:00.000Z',
    createdBy: 'user:default/alice',
    status: 'succeeded',
    findings: {
      total: 0,
      new: 0,
      reopened: 0,
      fixed: 0,
      unchanged: 0,
      suppressed: 0,
    },
    openFindings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    dependencyCount: 0,
    ...overrides,
  };
}

/** `listScanHistory` answering these scans and collectors. */
function scansOf(items: ScanSummary[], collectors: CollectorStatus[] = []) {
  return jest.fn().mockResolvedValue({ items, collectors });
}

const scorecard: EntityScorecard = {
  entityRef: 'component:default/payments',
  level: { rank: 2, name: 'Managed' },
  score: 72.5,
  checks: [],
  openFindings: { critical: 1, high: 4, medium: 7, low: 0, info: 0 },
  pastSla: 3,
  lastScans: {
    secret: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    sast: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  },
  ownerRef: 'group:default/team-payments',
  securityChampion: 'user:default/ken.thompson',
  evaluatedAt: '2026-11-28T10:00:00.000Z',
  trend: {
    days30: { days: 30, from: 64.5, to: 72.5, delta: 8, direction: 'up' },
    days90: { days: 90, from: 50, to: 72.5, delta: 22.5, direction: 'up' },
  },
};

async function renderCard(api: Partial<SecurityScorecardsApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          securityScorecardsApiRef,
          {
            getEntityScorecard: jest.fn().mockResolvedValue(scorecard),
            ...api,
          },
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntitySecurityScorecardCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntitySecurityScorecardCard', () => {
  it('shows the latest scan of each source', async () => {
    const listScanHistory = scansOf([
      scanOf({
        id: 'new-semgrep',
        openFindings: { critical: 3, high: 5, medium: 0, low: 0, info: 0 },
      }),
      scanOf({
        id: 'trivy',
        source: 'trivy',
        scanner: 'Trivy',
        format: 'trivy',
      }),
      scanOf({
        id: 'old-semgrep',
        openFindings: { critical: 9, high: 9, medium: 9, low: 9, info: 0 },
      }),
    ]);

    await renderCard({ listScanHistory });

    expect(await screen.findByText('Trivy')).toBeInTheDocument();
    expect(screen.getAllByText('semgrep')).toHaveLength(1);
    expect(screen.getByText('3 critical, 5 high')).toBeInTheDocument();
    expect(screen.getByText('none')).toBeInTheDocument();
    expect(screen.queryByText(/9 critical/)).not.toBeInTheDocument();
    expect(listScanHistory).toHaveBeenCalledWith({
      entityRef: 'component:default/payments',
      limit: 50,
    });
  });

  it('shows a failed scan with its reason, and report-suppressed findings apart', async () => {
    const listScanHistory = scansOf([
      scanOf({
        id: 'failed-codeql',
        source: 'codeql',
        scanner: 'CodeQL',
        status: 'failed',
        error: 'Out of memory',
      }),
      scanOf({
        id: 'trivy',
        source: 'trivy',
        scanner: 'Trivy',
        format: 'trivy',
        openFindings: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
        findings: {
          total: 3,
          new: 3,
          reopened: 0,
          fixed: 0,
          unchanged: 0,
          suppressed: 2,
        },
      }),
    ]);

    await renderCard({ listScanHistory });

    expect(
      await screen.findByText('Scan failed: Out of memory; no finding changed'),
    ).toBeInTheDocument();
    expect(screen.getByText('1 critical')).toBeInTheDocument();
    expect(screen.getByText('2 suppressed in the report')).toBeInTheDocument();
  });

  it('shows level, score, trend, urgent findings, people and scan times', async () => {
    const getEntityScorecard = jest.fn().mockResolvedValue(scorecard);

    await renderCard({
      listScanHistory: scansOf([scanOf({})]),
      getEntityScorecard,
    });

    expect(await screen.findByText('L2 Managed')).toBeInTheDocument();
    expect(screen.getByLabelText('Score')).toHaveTextContent('72.5');
    expect(screen.getByText('+8 in 30 days')).toBeInTheDocument();
    expect(screen.getByLabelText('Open critical: 1')).toBeInTheDocument();
    expect(screen.getByLabelText('Open high: 4')).toBeInTheDocument();
    expect(screen.getByLabelText('Past SLA: 3')).toBeInTheDocument();
    expect(screen.getByText('team-payments').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/group/team-payments',
    );
    expect(screen.getByText('ken.thompson')).toBeInTheDocument();
    expect(screen.getByText('2 hours ago')).toBeInTheDocument();
    expect(screen.getByText('3 days ago')).toBeInTheDocument();
    expect(screen.getByText(/Code \(SAST\)/)).toBeInTheDocument();
    expect(
      screen.getByText('Findings and checks').closest('a'),
    ).toHaveAttribute('href', '/catalog/default/component/payments/security');
    expect(getEntityScorecard).toHaveBeenCalledWith({
      entityRef: 'component:default/payments',
    });
  });

  it('says the score fell with a downward trend', async () => {
    await renderCard({
      listScanHistory: scansOf([scanOf({})]),
      getEntityScorecard: jest.fn().mockResolvedValue({
        ...scorecard,
        trend: {
          ...scorecard.trend,
          days30: { days: 30, from: 80, to: 70, delta: -10, direction: 'down' },
        },
      }),
    });

    expect(
      await screen.findByLabelText('Score trend down: -10 in 30 days'),
    ).toBeInTheDocument();
  });

  it('keeps the scans when the scorecard cannot be read', async () => {
    await renderCard({
      listScanHistory: scansOf([scanOf({})]),
      getEntityScorecard: jest
        .fn()
        .mockRejectedValue(new Error('grading unavailable')),
    });

    expect(
      await screen.findByText('Error: grading unavailable'),
    ).toBeInTheDocument();
    expect(screen.getByText('semgrep')).toBeInTheDocument();
  });

  it('explains how to send the first scan when there is none', async () => {
    await renderCard({ listScanHistory: scansOf([]) });

    expect(
      await screen.findByText(/No scans have been sent/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /security-scorecards-cli upload --entity component:default\/payments/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('L2 Managed')).not.toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderCard({
      listScanHistory: jest
        .fn()
        .mockRejectedValue(new Error('backend unavailable')),
    });

    expect(
      await screen.findByText('Error: backend unavailable'),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderCard({ listScanHistory: () => new Promise(() => {}) });

    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows how the pull collectors last ran, a failing one in red', async () => {
    const hoursAgo = (hours: number) =>
      new Date(Date.now() - hours * 3_600_000).toISOString();
    await renderCard({
      listScanHistory: scansOf(
        [scanOf({})],
        [
          {
            sourceId: 'url',
            lastRunAt: hoursAgo(1),
            lastSuccessAt: hoursAgo(1),
          },
          {
            sourceId: 'github-dependabot',
            lastRunAt: hoursAgo(2),
            lastSuccessAt: hoursAgo(26),
            error: 'GitHub answered 401 Bad credentials',
          },
        ],
      ),
    });

    const list = await screen.findByRole('list', { name: 'Pull collectors' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      'github-dependabot · last run 2 hours ago, last success yesterdayFailed: GitHub answered 401 Bad credentials',
      'url · last run 1 hour ago',
    ]);
    expect(
      screen.getByText('Failed: GitHub answered 401 Bad credentials'),
    ).toHaveClass('MuiTypography-colorError');
  });

  it('shows failing collectors next to the first-scan instructions', async () => {
    await renderCard({
      listScanHistory: scansOf(
        [],
        [
          {
            sourceId: 'dependency-track',
            lastRunAt: new Date().toISOString(),
            error: 'No project dependencytrack/project-id=42',
          },
        ],
      ),
    });

    expect(
      await screen.findByText(/No scans have been sent/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Failed: No project dependencytrack/project-id=42'),
    ).toBeInTheDocument();
  });

  it('leaves the collectors out when none applies', async () => {
    await renderCard({ listScanHistory: scansOf([scanOf({})]) });

    expect(await screen.findByText('semgrep')).toBeInTheDocument();
    expect(screen.queryByText('Pull collectors')).not.toBeInTheDocument();
  });
});
