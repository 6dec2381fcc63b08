import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  boundLocationsOf,
  CollectorBinding,
  githubRepositoryOfUrl,
} from './binding';
import { URL_CREDENTIALS } from '../ingest/__testUtils__/unsafeUrls';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const payments = entity({
  'backstage.io/managed-by-location':
    'url:https://github.com/Acme/Payments/blob/main/catalog-info.yaml',
  'backstage.io/managed-by-origin-location':
    'url:https://github.com/acme/catalog/blob/main/all.yaml',
  // Written by the entity's author: binds nothing unless trusted.
  'backstage.io/source-location':
    'url:https://github.com/acme/other-teams-private-repo/tree/main/',
});

const repository = (slug: string, host = 'github.com') => {
  const [owner, repo] = slug.split('/');
  return { host, owner, repo };
};

describe('githubRepositoryOfUrl', () => {
  it('reads owner and repository of GitHub and raw URLs, on the hosts given', () => {
    expect(
      githubRepositoryOfUrl('https://github.com/acme/payments/tree/main/x'),
    ).toEqual(repository('acme/payments'));
    expect(
      githubRepositoryOfUrl(
        'https://raw.githubusercontent.com/acme/payments/main/bom.json',
      ),
    ).toEqual(repository('acme/payments'));
    expect(
      githubRepositoryOfUrl('https://ghe.example.com/acme/payments.git', [
        'ghe.example.com',
      ]),
    ).toEqual(repository('acme/payments', 'ghe.example.com'));
    expect(
      githubRepositoryOfUrl('https://ghe.example.com/acme/payments'),
    ).toBeUndefined();
    expect(githubRepositoryOfUrl('https://github.com/acme')).toBeUndefined();
    expect(githubRepositoryOfUrl('file:///acme/payments')).toBeUndefined();
  });
});

describe('boundLocationsOf', () => {
  it('is where the catalog read the entity, the source location only when trusted', () => {
    expect(boundLocationsOf(payments)).toEqual([
      'https://github.com/Acme/Payments/blob/main/catalog-info.yaml',
    ]);
    expect(boundLocationsOf(payments, { trustSourceLocation: true })).toContain(
      'https://github.com/acme/other-teams-private-repo/tree/main/',
    );
    expect(
      boundLocationsOf(
        entity({
          'backstage.io/managed-by-origin-location':
            'url:https://github.com/acme/catalog/blob/main/all.yaml',
        }),
      ),
    ).toEqual(['https://github.com/acme/catalog/blob/main/all.yaml']);
    expect(
      boundLocationsOf(
        entity({
          'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml',
        }),
      ),
    ).toEqual([]);
  });
});

describe('CollectorBinding', () => {
  const binding = new CollectorBinding({ sourceId: 'github-secret-scanning' });

  it("allows the entity's own repository, in any case", () => {
    expect(() =>
      binding.checkGithubRepository(
        payments,
        repository('acme/payments'),
        'github.com/project-slug',
      ),
    ).not.toThrow();
  });

  it('refuses another repository, and one only the source location names, saying how to allow it', () => {
    for (const slug of ['acme/other-teams-private-repo', 'other/payments']) {
      expect(() =>
        binding.checkGithubRepository(
          payments,
          repository(slug),
          'github.com/project-slug',
        ),
      ).toThrow(
        expect.objectContaining({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            `Refused to collect github-secret-scanning for component:default/payments: the repository github.com/${slug} of its github.com/project-slug annotation is not in its own location (https://github.com/Acme/Payments/blob/main/catalog-info.yaml) and matches no glob of securityScorecards.sources.github-secret-scanning.allow`,
          ),
        }),
      );
    }
    // On another host, the same owner and name are another repository.
    expect(() =>
      binding.checkGithubRepository(
        payments,
        repository('acme/payments', 'ghe.example.com'),
        'github.com/project-slug',
      ),
    ).toThrow(/Refused/);
  });

  it('allows what an allow glob matches, and trusts the source location when configured', () => {
    const allowing = CollectorBinding.fromConfig(
      mockServices.rootConfig({
        data: {
          securityScorecards: {
            sources: {
              'github-secret-scanning': { allow: ['acme/other-*'] },
            },
          },
        },
      }),
      'github-secret-scanning',
    );
    expect(() =>
      allowing.checkGithubRepository(
        payments,
        repository('acme/other-teams-private-repo'),
        'github.com/project-slug',
      ),
    ).not.toThrow();
    expect(() =>
      allowing.checkGithubRepository(
        payments,
        repository('acme/ledger'),
        'github.com/project-slug',
      ),
    ).toThrow(/Refused/);

    const trusting = CollectorBinding.fromConfig(
      mockServices.rootConfig({
        data: {
          securityScorecards: { sources: { trustSourceLocation: true } },
        },
      }),
      'github-secret-scanning',
    );
    expect(() =>
      trusting.checkGithubRepository(
        payments,
        repository('acme/other-teams-private-repo'),
        'github.com/project-slug',
      ),
    ).not.toThrow();
  });

  it('reads the GitHub Enterprise hosts of the integrations', () => {
    const enterprise = CollectorBinding.fromConfig(
      mockServices.rootConfig({
        data: { integrations: { github: [{ host: 'ghe.example.com' }] } },
      }),
      'url',
    );
    const onEnterprise = entity({
      'backstage.io/managed-by-location':
        'url:https://ghe.example.com/acme/payments/blob/main/catalog-info.yaml',
    });
    expect(() =>
      enterprise.checkUrl(
        onEnterprise,
        'https://ghe.example.com/acme/payments/blob/release/bom.json',
        'security-scorecards/report-urls',
      ),
    ).not.toThrow();
    expect(() =>
      binding.checkUrl(
        onEnterprise,
        'https://ghe.example.com/acme/payments/blob/release/bom.json',
        'security-scorecards/report-urls',
      ),
    ).toThrow(/Refused/);
  });

  describe('checkUrl', () => {
    const url = new CollectorBinding({
      sourceId: 'url',
      allow: ['https://ci.example.com/artifacts/**'],
    });
    const check =
      (target: string, of: Entity = payments) =>
      () =>
        url.checkUrl(of, target, 'security-scorecards/report-urls');

    it("allows the entity's repository in its blob and raw forms, and allow-listed URLs", () => {
      expect(
        check('https://github.com/acme/payments/blob/main/bom.json'),
      ).not.toThrow();
      expect(
        check('https://raw.githubusercontent.com/ACME/payments/v2/bom.json'),
      ).not.toThrow();
      expect(
        check('https://ci.example.com/artifacts/payments/1/trivy.json'),
      ).not.toThrow();
    });

    it('refuses another repository, another host, and tricks to leave the location', () => {
      for (const target of [
        'https://github.com/acme/other-teams-private-repo/blob/main/bom.json',
        'https://raw.githubusercontent.com/acme/other/main/bom.json',
        'https://ci.example.com/other/trivy.json',
        'https://ci.example.com/artifacts/../secrets/trivy.json',
        'https://ci.example.com.evil.example/artifacts/trivy.json',
      ]) {
        expect(check(target)).toThrow(/Refused to collect url/);
      }
      for (const target of [
        'https://github.com/acme/payments/blob/main/..%2F..%2Fother/x.json',
        `https://${URL_CREDENTIALS}@ci.example.com/artifacts/trivy.json`,
        'file:///etc/passwd',
        'not a url',
      ]) {
        expect(check(target)).toThrow(/Refused to read/);
      }
    });

    it('allows under the folder of a location that is not on GitHub, at a segment boundary', () => {
      const onGitlab = entity({
        'backstage.io/managed-by-location':
          'url:https://gitlab.example.com/acme/payments/-/blob/main/catalog-info.yaml',
      });
      expect(
        check(
          'https://gitlab.example.com/acme/payments/-/blob/main/reports/bom.json',
          onGitlab,
        ),
      ).not.toThrow();
      expect(
        check(
          'https://gitlab.example.com/acme/payments/-/blob/main-other/bom.json',
          onGitlab,
        ),
      ).toThrow(/Refused/);
      expect(
        check('https://gitlab.example.com/acme/other/bom.json', onGitlab),
      ).toThrow(/Refused/);
    });
  });

  it('allows a target that only globs can permit when one of its names matches', () => {
    const projects = new CollectorBinding({
      sourceId: 'dependency-track',
      allow: ['payments-*', 'uuid:3b2a*'],
    });
    expect(() =>
      projects.checkAllowListed(payments, ['payments-api'], 'the project'),
    ).not.toThrow();
    expect(() =>
      projects.checkAllowListed(
        payments,
        ['uuid:3b2a0000-0000-4000-8000-000000000000'],
        'the project',
      ),
    ).not.toThrow();
    expect(() =>
      projects.checkAllowListed(payments, ['ledger'], 'the project'),
    ).toThrow(
      "Refused to collect dependency-track for component:default/payments: the project is not allowed; allow it (as 'ledger') with a glob of securityScorecards.sources.dependency-track.allow",
    );
  });
});
