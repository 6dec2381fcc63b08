import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ScanSummary } from '@secdevops/plugin-security-scorecards-common';
import { screen } from '@testing-library/react';
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
    findings: { total: 0, new: 0, reopened: 0, fixed: 0, unchanged: 0 },
    openFindings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    dependencyCount: 0,
    ...overrides,
  };
}

async function renderCard(api: Partial<SecurityScorecardsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[securityScorecardsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntitySecurityScorecardCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntitySecurityScorecardCard', () => {
  it('shows the latest scan of each source', async () => {
    const listScans = jest.fn().mockResolvedValue([
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

    await renderCard({ listScans });

    expect(await screen.findByText('Trivy')).toBeInTheDocument();
    expect(screen.getAllByText('semgrep')).toHaveLength(1);
    expect(screen.getByText('3 critical, 5 high')).toBeInTheDocument();
    expect(screen.getByText('none')).toBeInTheDocument();
    expect(screen.queryByText(/9 critical/)).not.toBeInTheDocument();
    expect(listScans).toHaveBeenCalledWith({
      entityRef: 'component:default/payments',
      limit: 50,
    });
  });

  it('explains how to send the first scan when there is none', async () => {
    await renderCard({ listScans: jest.fn().mockResolvedValue([]) });

    expect(
      await screen.findByText(/No scans have been sent/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /security-scorecards-cli upload --entity component:default\/payments/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderCard({
      listScans: jest.fn().mockRejectedValue(new Error('backend unavailable')),
    });

    expect(
      await screen.findByText('Error: backend unavailable'),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderCard({ listScans: () => new Promise(() => {}) });

    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });
});
