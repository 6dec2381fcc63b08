import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Dependency } from '@secdevops/plugin-security-scorecards-common';
import { screen } from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { DependenciesTable } from './DependenciesTable';

const entityRef = 'component:default/payments';

const jquery: Dependency = {
  entityRef,
  source: 'sbom',
  purl: 'pkg:npm/jquery@3.3.1',
  name: 'jquery',
  version: '3.3.1',
  ecosystem: 'npm',
  licenses: ['MIT'],
  direct: true,
  vulnerable: true,
  openFindings: { critical: 0, high: 0, medium: 1, low: 0, info: 0 },
};

async function renderTable(api: Partial<SecurityScorecardsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[securityScorecardsApiRef, api]]}>
      <DependenciesTable entityRef={entityRef} />
    </TestApiProvider>,
  );
}

describe('DependenciesTable', () => {
  it('lists dependencies with their open findings', async () => {
    const listDependencies = jest.fn().mockResolvedValue({
      items: [
        jquery,
        {
          ...jquery,
          name: 'express',
          purl: undefined,
          direct: false,
          vulnerable: false,
          openFindings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        },
      ],
      totalCount: 2,
    });

    await renderTable({ listDependencies });

    expect(await screen.findByText('pkg:npm/jquery@3.3.1')).toBeInTheDocument();
    expect(screen.getByText('1 medium')).toBeInTheDocument();
    expect(screen.getByText('transitive')).toBeInTheDocument();
    expect(listDependencies).toHaveBeenCalledWith({
      entityRef,
      limit: 20,
      offset: 0,
    });
  });

  it('says how to get dependencies when there are none', async () => {
    await renderTable({
      listDependencies: jest
        .fn()
        .mockResolvedValue({ items: [], totalCount: 0 }),
    });

    expect(
      await screen.findByText(/No dependencies known: send an SBOM/),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderTable({
      listDependencies: jest.fn().mockRejectedValue(new Error('unavailable')),
    });

    expect(await screen.findByText('Error: unavailable')).toBeInTheDocument();
  });
});
