import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { DependencyUsage } from '@secdevops/plugin-security-scorecards-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { DependencySearchPage } from './DependencySearchPage';
import { purlOfSearch, versionFilterOfSearch } from './purl';
import {
  filterByVersionRange,
  semverOf,
  versionFilterOf,
} from './versionRange';

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
    fireEvent.change(screen.getByLabelText('Version or range (optional)'), {
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

  it('narrows every version of a package to a version range', async () => {
    const usageOf = (entity: string, version?: string): DependencyUsage => ({
      ...lodashUsage,
      entityRef: `component:default/${entity}`,
      purl: version ? `pkg:npm/lodash@${version}` : 'pkg:npm/lodash',
      version,
    });
    const findDependencyUsage = jest.fn().mockResolvedValue({
      items: [
        usageOf('payments-api', '4.17.20'),
        usageOf('storefront', '4.17.21'),
        usageOf('checkout-web', '3.10.1'),
        usageOf('legacy-billing', 'git+https://example.com/lodash.git'),
        usageOf('unversioned'),
      ],
    });

    await renderPage(
      { findDependencyUsage },
      `/dependencies?q=lodash&ecosystem=npm&version=${encodeURIComponent(
        '>=4.0.0 <4.17.21',
      )}`,
    );

    expect(
      await screen.findByText('pkg:npm/lodash >=4.0.0 <4.17.21: 1 entity'),
    ).toBeInTheDocument();
    // Every version is asked for; the range is applied in the browser.
    expect(findDependencyUsage).toHaveBeenCalledWith({
      purl: 'pkg:npm/lodash',
    });
    expect(screen.getByText('payments-api')).toBeInTheDocument();
    expect(screen.queryByText('storefront')).not.toBeInTheDocument();
    expect(screen.queryByText('checkout-web')).not.toBeInTheDocument();
    expect(
      screen.getByText(
        /2 usages are left out: their versions are not semantic/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Version or range (optional)')).toHaveValue(
      '>=4.0.0 <4.17.21',
    );
  });

  it('keeps a range typed in the form in the URL', async () => {
    const findDependencyUsage = jest.fn().mockResolvedValue({
      items: [
        { ...lodashUsage, version: '4.17.20' },
        {
          ...lodashUsage,
          entityRef: 'component:default/storefront',
          version: '4.17.21',
        },
      ],
    });
    await renderPage({ findDependencyUsage }, '/dependencies');

    fireEvent.change(screen.getByLabelText('Package name or purl'), {
      target: { value: 'lodash' },
    });
    fireEvent.change(screen.getByLabelText('Version or range (optional)'), {
      target: { value: ' <4.17.21 ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    expect(
      await screen.findByText('pkg:npm/lodash <4.17.21: 1 entity'),
    ).toBeInTheDocument();
    expect(findDependencyUsage).toHaveBeenCalledWith({
      purl: 'pkg:npm/lodash',
    });
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?q=lodash&ecosystem=npm&version=%3C4.17.21',
    );
  });

  it('says why a version range cannot be searched', async () => {
    const findDependencyUsage = jest.fn().mockResolvedValue({ items: [] });
    await renderPage(
      { findDependencyUsage },
      `/dependencies?q=openssl&ecosystem=deb&version=${encodeURIComponent(
        '<3.0.2',
      )}`,
    );

    expect(
      screen.getByText(/Version ranges are compared as semantic versions/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Ranges need semantic versions'),
    ).toBeInTheDocument();
    expect(findDependencyUsage).not.toHaveBeenCalled();
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
    [{ q: 'lodash', ecosystem: 'npm', version: '<4.17.21' }, 'pkg:npm/lodash'],
    [{ q: 'lodash', ecosystem: 'npm', version: '^4.17.0' }, 'pkg:npm/lodash'],
    [
      { q: 'pkg:cargo/serde', ecosystem: 'npm', version: '1.x' },
      'pkg:cargo/serde',
    ],
  ])('makes %j into %s', (search, purl) => {
    expect(purlOfSearch(search)).toBe(purl);
  });
});

describe('versionFilterOfSearch', () => {
  const kindOf = (q: string, ecosystem: string, version: string) =>
    versionFilterOfSearch({ q, ecosystem, version }).kind;

  it('tells exact versions from ranges', () => {
    expect(kindOf('lodash', 'npm', '')).toBe('any');
    expect(kindOf('lodash', 'npm', '4.17.21')).toBe('exact');
    expect(kindOf('requests', 'pypi', '2.19.0')).toBe('exact');
    expect(kindOf('openssl', 'deb', '3.0.2-0ubuntu1.10')).toBe('exact');
    expect(kindOf('openssl', 'rpm', '1:3.0.7-27.el9')).toBe('exact');
    for (const range of [
      '<4.17.21',
      '>=1.2.0 <2',
      '^4.17.0',
      '~1.2',
      '1.x',
      '1.2.0 - 1.4.0',
      '<1 || >=3',
    ]) {
      expect(kindOf('lodash', 'npm', range)).toBe('range');
    }
  });

  it('uses ranges only where versions are semantic', () => {
    expect(kindOf('requests', 'pypi', '<2.20')).toBe('range');
    expect(kindOf('pkg:golang/golang.org/x/net', 'npm', '<0.7.0')).toBe(
      'range',
    );
    expect(kindOf('openssl', 'deb', '<3.0.2')).toBe('invalid');
    expect(kindOf('pkg:apk/alpine/musl', 'npm', '>=1.2')).toBe('invalid');
    expect(kindOf('lodash', 'npm', '<<>4')).toBe('invalid');
  });

  it('lets the version of a package URL win', () => {
    expect(kindOf('pkg:npm/lodash@4.17.20', 'npm', '<4.17.21')).toBe('any');
  });
});

describe('filterByVersionRange', () => {
  const versions = (
    range: string,
    items: Array<string | undefined>,
  ): { matching: Array<string | undefined>; incomparable: number } => {
    const filter = versionFilterOf(range, 'npm');
    if (filter.kind !== 'range') throw new Error(`not a range: ${range}`);
    const result = filterByVersionRange(
      items.map(version => ({ version })),
      filter.range,
    );
    return {
      matching: result.matching.map(item => item.version),
      incomparable: result.incomparable,
    };
  };

  it.each([
    [
      '<4.17.21',
      ['4.17.20', '4.17.21', '3.0.0', '5.0.0'],
      ['4.17.20', '3.0.0'],
    ],
    ['>=1.2.0 <2', ['1.1.9', '1.2.0', '1.9.9', '2.0.0'], ['1.2.0', '1.9.9']],
    ['^4.17.0', ['4.16.9', '4.17.0', '4.99.0', '5.0.0'], ['4.17.0', '4.99.0']],
    ['~1.2', ['1.2.0', '1.2.9', '1.3.0'], ['1.2.0', '1.2.9']],
    ['<1 || >=3', ['0.9.0', '1.0.0', '2.5.0', '3.0.0'], ['0.9.0', '3.0.0']],
    // Prereleases count, `v` prefixes and short versions are read: `<2`
    // is below 2.0.0-0, `<2.0.0` includes its release candidates.
    ['<2', ['2.0.0-rc.1', 'v1.5.0', '1.5', '2'], ['v1.5.0', '1.5']],
    ['<2.0.0', ['2.0.0rc1', '2.0.0-rc.1', '2.0.0'], ['2.0.0rc1', '2.0.0-rc.1']],
  ])('filters %s', (range, items, matching) => {
    expect(versions(range, items).matching).toEqual(matching);
  });

  it('counts the versions it cannot compare', () => {
    expect(
      versions('<2', ['1.0.0', undefined, '1:2.3-4', 'latest', '1.2.3.4']),
    ).toEqual({ matching: ['1.0.0'], incomparable: 4 });
  });
});

describe('semverOf', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['v0.7.0', '0.7.0'],
    ['2.19', '2.19.0'],
    ['7', '7.0.0'],
    ['1.0.0-SNAPSHOT', '1.0.0-SNAPSHOT'],
    ['not-a-version', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (version, expected) => {
    expect(semverOf(version)?.version).toBe(expected);
  });
});
