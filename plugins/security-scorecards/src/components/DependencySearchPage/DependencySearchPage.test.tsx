import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { DependencyUsage } from '@secdevops/plugin-security-scorecards-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { DependencySearchPage } from './DependencySearchPage';
import { purlOfSearch } from './purl';

const lodashUsage: DependencyUsage = {
  entityRef: 'component:default/payments-api',
  owner: 'group:default/payments',
  purl: 'pkg:npm/lodash@4.17.20',
  name: 'lodash',
  version: '4.17.20',
  direct: true,
  vulnerable: true,
};

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

async function renderPage(api: Partial<SecurityScorecardsApi>, path: string) {
  return renderInTestApp(
    <TestApiProvider apis={[[securityScorecardsApiRef, api]]}>
      <Routes>
        <Route
          path="/dependencies"
          element={
            <>
              <DependencySearchPage />
              <LocationProbe />
            </>
          }
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('DependencySearchPage', () => {
  it('searches the package URL from the URL and lists who uses it', async () => {
    const findDependencyUsage = jest.fn().mockResolvedValue({
      items: [
        lodashUsage,
        {
          ...lodashUsage,
          entityRef: 'component:default/storefront',
          owner: undefined,
          purl: 'pkg:npm/lodash@4.17.21',
          version: '4.17.21',
          direct: false,
          vulnerable: false,
        },
      ],
    });

    await renderPage({ findDependencyUsage }, '/dependencies?q=pkg:npm/lodash');

    expect(
      await screen.findByText('pkg:npm/lodash: 2 entities'),
    ).toBeInTheDocument();
    expect(findDependencyUsage).toHaveBeenCalledWith({
      purl: 'pkg:npm/lodash',
    });
    expect(screen.getByText('payments-api').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/security',
    );
    expect(screen.getByText('payments').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(screen.getByText('vulnerable')).toBeInTheDocument();
    expect(screen.getByText('no open finding')).toBeInTheDocument();
    expect(screen.getByText('transitive')).toBeInTheDocument();
    expect(screen.getByLabelText('Package name or purl')).toHaveValue(
      'pkg:npm/lodash',
    );
  });

  it('builds the package URL from a name, ecosystem and version', async () => {
    const findDependencyUsage = jest.fn().mockResolvedValue({ items: [] });

    await renderPage(
      { findDependencyUsage },
      '/dependencies?q=requests&ecosystem=pypi&version=2.19.0',
    );

    expect(
      await screen.findByText(/No entity you may see uses this package/),
    ).toBeInTheDocument();
    expect(findDependencyUsage).toHaveBeenCalledWith({
      purl: 'pkg:pypi/requests@2.19.0',
    });
  });

  it('puts a new search in the URL', async () => {
    const findDependencyUsage = jest.fn().mockResolvedValue({ items: [] });
    await renderPage({ findDependencyUsage }, '/dependencies');
    expect(
      screen.getByText('Which entities use a package?'),
    ).toBeInTheDocument();
    expect(findDependencyUsage).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Package name or purl'), {
      target: { value: '@babel/core' },
    });
    fireEvent.change(screen.getByLabelText('Version (optional)'), {
      target: { value: '7.24.0' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    await waitFor(() =>
      expect(findDependencyUsage).toHaveBeenCalledWith({
        purl: 'pkg:npm/%40babel/core@7.24.0',
      }),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?q=%40babel%2Fcore&ecosystem=npm&version=7.24.0',
    );
  });

  it('shows the error of a bad search', async () => {
    await renderPage(
      {
        findDependencyUsage: jest
          .fn()
          .mockRejectedValue(new Error('purl must be a package URL')),
      },
      '/dependencies?q=pkg:',
    );

    expect(
      await screen.findByText('Error: purl must be a package URL'),
    ).toBeInTheDocument();
  });
});

describe('purlOfSearch', () => {
  it.each([
    [{ q: 'lodash', ecosystem: 'npm', version: '' }, 'pkg:npm/lodash'],
    [
      {
        q: 'org.apache.logging.log4j:log4j-core',
        ecosystem: 'maven',
        version: '2.14.1',
      },
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    ],
    [
      { q: 'pkg:npm/lodash@4.17.20', ecosystem: 'npm', version: '4.17.21' },
      'pkg:npm/lodash@4.17.20',
    ],
    [
      { q: 'pkg:golang/golang.org/x/net', ecosystem: 'npm', version: 'v0.7.0' },
      'pkg:golang/golang.org/x/net@v0.7.0',
    ],
    [{ q: '', ecosystem: 'npm', version: '1.0.0' }, undefined],
  ])('makes %j into %s', (search, purl) => {
    expect(purlOfSearch(search)).toBe(purl);
  });
});
