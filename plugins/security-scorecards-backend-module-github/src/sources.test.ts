import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { FindingSource } from '@secdevops/plugin-security-scorecards-node';
import { GithubAlertsClient } from './GithubAlertsClient';
import { createGithubFindingSources, githubRepositoryOf } from './sources';
import {
  codeScanningAlert,
  dependabotAlerts,
  FakeGithub,
  secretScanningAlerts,
} from './__testUtils__/fakeGithub';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

describe('githubRepositoryOf', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [
          { host: 'github.com', token: 't' },
          {
            host: 'ghe.example.com',
            apiBaseUrl: 'https://ghe.example.com/api/v3',
          },
        ],
      },
    }),
  );

  it('reads owner and repository from github.com/project-slug, on github.com', () => {
    expect(
      githubRepositoryOf(
        entity({ 'github.com/project-slug': 'acme/payments' }),
        integrations,
      ),
    ).toEqual({ host: 'github.com', owner: 'acme', repo: 'payments' });
  });

  it('takes the host of github.com/host, else of a GitHub source location', () => {
    expect(
      githubRepositoryOf(
        entity({
          'github.com/project-slug': 'acme/payments',
          'github.com/host': 'ghe.example.com',
        }),
        integrations,
      )?.host,
    ).toBe('ghe.example.com');
    expect(
      githubRepositoryOf(
        entity({
          'github.com/project-slug': 'acme/payments',
          'backstage.io/source-location':
            'url:https://ghe.example.com/acme/payments/tree/main/',
        }),
        integrations,
      )?.host,
    ).toBe('ghe.example.com');
    expect(
      githubRepositoryOf(
        entity({
          'github.com/project-slug': 'acme/payments',
          'backstage.io/source-location':
            'url:https://gitlab.example.com/acme/payments/',
        }),
        integrations,
      )?.host,
    ).toBe('github.com');
  });

  it('ignores a missing or malformed slug', () => {
    expect(githubRepositoryOf(entity({}), integrations)).toBeUndefined();
    for (const slug of ['payments', 'acme/payments/extra', 'https://x/y', '']) {
      expect(
        githubRepositoryOf(
          entity({ 'github.com/project-slug': slug }),
          integrations,
        ),
      ).toBeUndefined();
    }
  });
});

describe('createGithubFindingSources', () => {
  const github = new FakeGithub();
  let sources: Record<string, FindingSource>;
  const payments = entity({ 'github.com/project-slug': 'acme/payments' });
  const signal = new AbortController().signal;

  beforeAll(() => github.start());
  afterAll(() => github.stop());
  beforeEach(() => {
    github.repos.clear();
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            { host: 'github.com', apiBaseUrl: github.baseUrl, token: 't' },
          ],
        },
      }),
    );
    const client = new GithubAlertsClient({
      integrations,
      credentialsProvider:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      sleep: async () => {},
    });
    sources = Object.fromEntries(
      createGithubFindingSources({
        client,
        integrations,
        kinds: ['dependabot', 'code-scanning', 'secret-scanning'],
      }).map(source => [source.id, source]),
    );
  });

  it('adds one source per kind for entities with a project slug', () => {
    expect(Object.keys(sources)).toEqual([
      'github-dependabot',
      'github-code-scanning',
      'github-secret-scanning',
    ]);
    for (const source of Object.values(sources)) {
      expect(source.defaultFrequency).toEqual({ hours: 1 });
      expect(source.appliesTo(payments)).toBe(true);
      expect(source.appliesTo(entity({}))).toBe(false);
    }
  });

  it('collects Dependabot alerts through the upload parser, then unchanged', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(3));

    const report = await sources['github-dependabot'].collect(payments, {
      signal,
    });
    const again = await sources['github-dependabot'].collect(payments, {
      signal,
    });

    expect(report).toMatchObject({
      format: 'github-dependabot',
      scanner: 'GitHub Dependabot',
    });
    expect(report?.findings).toHaveLength(3);
    expect(report?.findings[0]).toMatchObject({
      category: 'sca',
      ruleId: 'GHSA-c2qf-rxjj-qqgw',
      status: 'open',
      location: { path: 'services/s1/package-lock.json' },
    });
    expect(again).toBeUndefined();
  });

  it('collects code scanning alerts, and none when code scanning is off', async () => {
    github.setAlerts('acme/payments', 'code-scanning', [codeScanningAlert()]);
    const report = await sources['github-code-scanning'].collect(payments, {
      signal,
    });
    expect(report).toMatchObject({ format: 'github-code-scanning' });
    expect(report?.findings[0]).toMatchObject({
      ruleId: 'java/sql-injection',
      category: 'sast',
      location: {
        path: 'src/main/java/com/github/demo/service/BookService.java',
        line: 84,
      },
    });

    github.setAlerts('acme/payments', 'code-scanning', {
      status: 403,
      message:
        'Advanced Security must be enabled for this repository to use code scanning.',
    });
    const off = await sources['github-code-scanning'].collect(payments, {
      signal,
    });
    expect(off).toMatchObject({
      format: 'github-code-scanning',
      findings: [],
    });
  });

  it('collects secret scanning alerts without their secrets', async () => {
    const alerts = secretScanningAlerts();
    github.setAlerts('acme/payments', 'secret-scanning', alerts);

    const report = await sources['github-secret-scanning'].collect(payments, {
      signal,
    });

    expect(report?.findings.map(f => f.status)).toEqual([
      'false_positive',
      'open',
    ]);
    for (const alert of alerts) {
      expect(JSON.stringify(report)).not.toContain(alert.secret);
    }
  });

  it('fails with the repository named when it does not exist', async () => {
    await expect(
      sources['github-dependabot'].collect(payments, { signal }),
    ).rejects.toThrow(/GitHub repository acme\/payments not found/);
  });
});
