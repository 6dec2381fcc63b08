import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The module is tested in the backend plugin it extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import securityScorecardsPlugin from '@secdevops/plugin-security-scorecards-backend';
import request from 'supertest';
import githubModule from './index';
import { readGithubModuleSettings } from './module';
import { ConfigReader } from '@backstage/config';
import {
  codeScanningAlert,
  dependabotAlerts,
  FakeGithub,
  secretScanningAlerts,
} from './__testUtils__/fakeGithub';

jest.setTimeout(60_000);

const ALL_STATUSES = 'open,fixed,waived,false_positive,not_affected';

function component(name: string, slug: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'github.com/project-slug': slug,
        'backstage.io/managed-by-location': `url:https://github.com/${slug}/blob/main/catalog-info.yaml`,
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const entities: Entity[] = [
  component('payments', 'acme/payments'),
  component('ledger', 'acme/ledger'),
  component('ghost', 'acme/ghost'),
  component('billing', 'acme/billing'),
  {
    ...component('intruder', 'acme/payments'),
    metadata: {
      name: 'intruder',
      namespace: 'default',
      annotations: {
        'github.com/project-slug': 'acme/payments',
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/intruder/blob/main/catalog-info.yaml',
      },
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'no-github', namespace: 'default' },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
];

describe('the github module in the security scorecards backend', () => {
  const github = new FakeGithub();

  beforeAll(() => github.start());
  afterAll(() => github.stop());
  beforeEach(() => {
    github.repos.clear();
    github.requests.length = 0;
    github.queued.length = 0;
    github.pageSize = 2;
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(3));
    github.setAlerts('acme/payments', 'code-scanning', [codeScanningAlert()]);
    github.setAlerts(
      'acme/payments',
      'secret-scanning',
      secretScanningAlerts(),
    );
    github.setAlerts('acme/ledger', 'dependabot', dependabotAlerts(1));
    github.setAlerts('acme/billing', 'code-scanning', {
      status: 403,
      message:
        'Advanced Security must be enabled for this repository to use code scanning.',
    });
  });

  async function startBackend(securityScorecards: object = {}) {
    const scheduler = mockServices.scheduler.mock();
    const { server } = await startTestBackend({
      features: [
        securityScorecardsPlugin,
        githubModule,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                { host: 'github.com', apiBaseUrl: github.baseUrl, token: 't' },
              ],
            },
            securityScorecards,
          },
        }),
        catalogServiceMock.factory({ entities }),
      ],
    });
    const collect = (sourceId: string, name: string) =>
      request(server)
        .post(`/api/security-scorecards/sources/${sourceId}/collect`)
        .query({ entityRef: `component:default/${name}` });
    const findings = async (name: string) => {
      const response = await request(server)
        .get('/api/security-scorecards/findings')
        .query({
          entityRef: `component:default/${name}`,
          status: ALL_STATUSES,
          limit: 100,
        });
      expect(response.status).toBe(200);
      return response.body.items as Array<Record<string, any>>;
    };
    const scans = async (name: string) => {
      const response = await request(server)
        .get('/api/security-scorecards/scans')
        .query({ entityRef: `component:default/${name}` });
      expect(response.status).toBe(200);
      return response.body;
    };
    /** Runs a scheduled task of the plugin now, as the scheduler would. */
    const runTask = async (id: string) => {
      const call = scheduler.scheduleTask.mock.calls.find(
        ([task]) => task.id === id,
      );
      if (!call) throw new Error(`No task ${id} was scheduled`);
      await call[0].fn(new AbortController().signal);
    };
    return { server, runTask, collect, findings, scans };
  }

  it('adds the three sources, for the entities with a project slug', async () => {
    const { server } = await startBackend();
    const sources = await request(server).get(
      '/api/security-scorecards/sources',
    );
    expect(
      sources.body.items.map((source: { id: string }) => source.id),
    ).toEqual(
      expect.arrayContaining([
        'github-dependabot',
        'github-code-scanning',
        'github-secret-scanning',
      ]),
    );
  });

  it('collects every entity on schedule: pages followed, a missing repository recorded as failing, the others stored', async () => {
    const { runTask, findings, scans } = await startBackend();

    await runTask('security-scorecards-source-github-dependabot');

    const payments = await scans('payments');
    expect(payments.items).toEqual([
      expect.objectContaining({
        source: 'github-dependabot',
        format: 'github-dependabot',
        scanner: 'GitHub Dependabot',
      }),
    ]);
    expect(payments.collectors).toEqual([
      expect.objectContaining({
        sourceId: 'github-dependabot',
        lastSuccessAt: expect.any(String),
      }),
    ]);
    expect(payments.collectors[0].error).toBeUndefined();
    expect(
      (await findings('payments')).map(finding => finding.location?.path),
    ).toEqual(
      expect.arrayContaining([
        'services/s1/package-lock.json',
        'services/s2/package-lock.json',
        'services/s3/package-lock.json',
      ]),
    );
    expect(
      github
        .requestsTo('/repos/acme/payments/dependabot/alerts')
        .map(r => r.path),
    ).toEqual([
      '/repos/acme/payments/dependabot/alerts?per_page=100',
      '/repos/acme/payments/dependabot/alerts?per_page=100&page=2',
    ]);

    const ghost = await scans('ghost');
    expect(ghost.items).toEqual([]);
    expect(ghost.collectors).toEqual([
      {
        sourceId: 'github-dependabot',
        lastRunAt: expect.any(String),
        error: expect.stringMatching(
          /GitHub repository acme\/ghost not found on github.com/,
        ),
      },
    ]);

    expect(await findings('ledger')).toHaveLength(1);
    expect((await scans('no-github')).collectors).toEqual([]);
  });

  it('retries after a 403 rate limit answer', async () => {
    const { collect, findings } = await startBackend();
    github.queued.push({
      match: /acme\/ledger\/dependabot/,
      response: {
        status: 403,
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
        },
        body: {
          message: 'API rate limit exceeded for user ID 1.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
      },
    });

    const run = await collect('github-dependabot', 'ledger');

    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'stored' });
    expect(
      github.requestsTo('/repos/acme/ledger/dependabot').map(r => r.status),
    ).toEqual([403, 200]);
    expect(await findings('ledger')).toHaveLength(1);
  });

  it('answers unchanged when GitHub answers 304 for every page', async () => {
    const { collect, scans } = await startBackend();

    const first = await collect('github-dependabot', 'payments');
    github.requests.length = 0;
    // The ETags come from the source's state in the backend's database: the
    // client keeps none.
    const second = await collect('github-dependabot', 'payments');

    expect(first.body).toMatchObject({
      sourceId: 'github-dependabot',
      entityRef: 'component:default/payments',
      status: 'stored',
    });
    expect(second.body).toMatchObject({ status: 'unchanged', scans: [] });
    expect(github.requests.map(r => r.status)).toEqual([304, 304]);
    const { items, collectors } = await scans('payments');
    expect(items).toHaveLength(1);
    expect(collectors[0].lastSuccessAt).toBe(collectors[0].lastRunAt);
  });

  it('fixes alerts that were fixed or deleted on GitHub at the next collection', async () => {
    const { collect, findings } = await startBackend();
    const alerts = dependabotAlerts(3);
    github.setAlerts('acme/payments', 'dependabot', alerts);
    await collect('github-dependabot', 'payments');
    expect((await findings('payments')).map(f => f.status)).toEqual([
      'open',
      'open',
      'open',
    ]);

    alerts[0].state = 'fixed';
    alerts[0].fixed_at = '2026-01-02T10:00:00Z';
    alerts.splice(2, 1); // deleted on GitHub
    const run = await collect('github-dependabot', 'payments');

    expect(run.body).toMatchObject({ status: 'stored' });
    const byManifest = Object.fromEntries(
      (await findings('payments')).map(f => [f.location.path, f.status]),
    );
    expect(byManifest).toEqual({
      'services/s1/package-lock.json': 'fixed',
      'services/s2/package-lock.json': 'open',
      'services/s3/package-lock.json': 'fixed',
    });
  });

  it('stores secret scanning alerts without their secrets', async () => {
    const { collect, findings } = await startBackend();

    const run = await collect('github-secret-scanning', 'payments');

    expect(run.body).toMatchObject({ status: 'stored' });
    const stored = await findings('payments');
    expect(stored).toHaveLength(2);
    expect(stored.map(f => f.category)).toEqual(['secret', 'secret']);
    const text = JSON.stringify(stored);
    for (const alert of secretScanningAlerts()) {
      expect(text).not.toContain(alert.secret);
    }
    expect(stored.map(f => f.secret?.redacted).sort()).toEqual([
      'XXXX****************',
      'aio_****************',
    ]);
  });

  it('reads code scanning that is not enabled as no alerts, not as a failure', async () => {
    const { collect, scans } = await startBackend();

    const run = await collect('github-code-scanning', 'billing');
    const payments = await collect('github-code-scanning', 'payments');

    expect(run.body).toMatchObject({ status: 'stored' });
    expect(run.body.error).toBeUndefined();
    expect(run.body.scans[0].findings.total).toBe(0);
    expect(payments.body.scans[0].findings.total).toBe(1);
    expect((await scans('billing')).collectors[0].error).toBeUndefined();
  });

  it("records a collection of another team's repository as refused, without asking GitHub", async () => {
    const { collect, scans, findings } = await startBackend();

    const run = await collect('github-secret-scanning', 'intruder');

    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      sourceId: 'github-secret-scanning',
      entityRef: 'component:default/intruder',
      status: 'failed',
      error: expect.stringContaining(
        'Refused to collect github-secret-scanning for component:default/intruder: the repository github.com/acme/payments',
      ),
      scans: [],
    });
    expect(github.requests).toEqual([]);
    expect(await findings('intruder')).toEqual([]);
    expect((await scans('intruder')).collectors).toEqual([
      {
        sourceId: 'github-secret-scanning',
        lastRunAt: expect.any(String),
        error: run.body.error,
      },
    ]);
  });

  it('collects a repository that securityScorecards.sources.<id>.allow allows', async () => {
    const { collect, findings } = await startBackend({
      sources: { 'github-secret-scanning': { allow: ['acme/payments'] } },
    });

    const run = await collect('github-secret-scanning', 'intruder');

    expect(run.body).toMatchObject({ status: 'stored' });
    expect(await findings('intruder')).toHaveLength(2);
  });

  it('answers a collection for an entity without a project slug with 404', async () => {
    const { collect } = await startBackend();
    const run = await collect('github-dependabot', 'no-github');
    expect(run.status).toBe(404);
  });
});

describe('readGithubModuleSettings', () => {
  it('reads the defaults and the configured kinds', () => {
    expect(readGithubModuleSettings(new ConfigReader({}))).toEqual({
      kinds: ['dependabot', 'code-scanning', 'secret-scanning'],
      maxAttempts: 3,
      maxRateLimitWaitMs: 60_000,
    });
    expect(
      readGithubModuleSettings(
        new ConfigReader({
          securityScorecards: {
            github: {
              kinds: ['dependabot'],
              maxAttempts: 5,
              maxRateLimitWaitSeconds: 300,
            },
          },
        }),
      ),
    ).toEqual({
      kinds: ['dependabot'],
      maxAttempts: 5,
      maxRateLimitWaitMs: 300_000,
    });
    expect(() =>
      readGithubModuleSettings(
        new ConfigReader({
          securityScorecards: { github: { kinds: ['codeql'] } },
        }),
      ),
    ).toThrow(/'codeql' is none of/);
  });
});
