import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The module is tested inside the backend plugin it extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import securityScorecardsPlugin from '@secdevops/plugin-security-scorecards-backend';
import request from 'supertest';
import securityScorecardsModuleDependencyTrack from './index';
import {
  API_KEY,
  FakeDependencyTrack,
  PROJECT_ID,
  PROJECT_NAME,
  PROJECT_VERSION,
} from './__testUtils__/fakeDependencyTrack';

jest.setTimeout(60_000);

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  };
}

const entities = [
  component('payments-api', { 'dependencytrack/project-id': PROJECT_ID }),
  component('payments-worker', {
    'dependencytrack/project-name': PROJECT_NAME,
    'dependencytrack/project-version': PROJECT_VERSION,
  }),
  component('ghost', {
    'dependencytrack/project-id': '00000000-0000-4000-8000-000000000000',
  }),
  component('intruder', {
    'dependencytrack/project-name': 'another-teams-project',
  }),
];

const ALL_STATUSES = 'open,fixed,waived,false_positive,not_affected';

describe('the Dependency-Track module in the security scorecards backend', () => {
  let fake: FakeDependencyTrack;

  beforeEach(async () => {
    fake = await FakeDependencyTrack.start();
  });

  afterEach(async () => {
    await fake.stop();
  });

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        securityScorecardsPlugin,
        securityScorecardsModuleDependencyTrack,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            securityScorecards: {
              dependencyTrack: { baseUrl: fake.baseUrl, apiKey: API_KEY },
              sources: {
                'dependency-track': {
                  allow: [
                    `uuid:${PROJECT_ID}`,
                    'uuid:00000000-0000-4000-8000-000000000000',
                    `${PROJECT_NAME.slice(0, 3)}*`,
                  ],
                },
              },
            },
          },
        }),
      ],
    });
    const collect = (entityRef: string) =>
      request(server)
        .post('/api/security-scorecards/sources/dependency-track/collect')
        .query({ entityRef });
    const findings = async (entityRef: string) =>
      (
        await request(server)
          .get('/api/security-scorecards/findings')
          .query({ entityRef, status: ALL_STATUSES, limit: 100 })
      ).body;
    return { server, collect, findings };
  }

  it('collects the findings and components of an entity, then marks a finding that disappeared fixed', async () => {
    const { server, collect, findings } = await startBackend();

    const sources = await request(server).get(
      '/api/security-scorecards/sources',
    );
    expect(sources.body.items).toContainEqual({ id: 'dependency-track' });

    const first = await collect('component:default/payments-api');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      sourceId: 'dependency-track',
      entityRef: 'component:default/payments-api',
      status: 'stored',
    });
    expect(first.body.scans).toEqual([
      expect.objectContaining({
        scanner: 'Dependency-Track',
        dependencies: 10,
      }),
    ]);

    const stored = await findings('component:default/payments-api');
    expect(stored.totalCount).toBe(8);
    const byRule = (items: any[], ruleId: string) =>
      items.find(item => item.ruleId === ruleId);
    expect(byRule(stored.items, 'CVE-2021-44228')).toMatchObject({
      source: 'dependency-track',
      scanner: 'Dependency-Track',
      category: 'sca',
      severity: 'critical',
      status: 'open',
      identifiers: [
        'CVE-2021-44228',
        'GHSA-jfh8-c2jp-5v3q',
        'CWE-20',
        'CWE-502',
      ],
      package: {
        name: 'org.apache.logging.log4j/log4j-core',
        version: '2.14.1',
      },
      cvss: { score: 10 },
      epss: 0.97565,
    });
    expect(
      Object.fromEntries(
        stored.items.map((item: any) => [item.ruleId, item.status]),
      ),
    ).toEqual({
      'CVE-2021-44228': 'open',
      'GHSA-35jh-r3h4-6jhm': 'open',
      'CVE-2020-8840': 'open',
      'CVE-2022-42889': 'not_affected',
      'CVE-2021-44906': 'false_positive',
      'GHSA-r683-j2x4-v87g': 'fixed',
      'GHSA-c2qf-rxjj-qqgw': 'waived',
      'INT-2024-0007': 'open',
    });

    const dependencies = await request(server)
      .get('/api/security-scorecards/dependencies')
      .query({ entityRef: 'component:default/payments-api', limit: 100 });
    expect(dependencies.status).toBe(200);
    expect(dependencies.body.totalCount).toBe(10);

    // log4j-core was upgraded: Dependency-Track no longer reports the finding.
    const project = fake.projects.get(PROJECT_ID)!;
    project.findings = project.findings.filter(
      (finding: any) => finding.vulnerability.vulnId !== 'CVE-2021-44228',
    );
    const second = await collect('component:default/payments-api');
    expect(second.body.status).toBe('stored');

    const after = await findings('component:default/payments-api');
    expect(after.totalCount).toBe(8);
    expect(byRule(after.items, 'CVE-2021-44228')).toMatchObject({
      status: 'fixed',
      fixedAt: expect.any(String),
    });
    expect(byRule(after.items, 'GHSA-35jh-r3h4-6jhm').status).toBe('open');

    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/payments-api' });
    expect(scans.body.items[0]).toMatchObject({
      source: 'dependency-track',
      scanner: 'Dependency-Track',
    });
    expect(scans.body.collectors).toEqual([
      expect.objectContaining({
        sourceId: 'dependency-track',
        lastSuccessAt: expect.any(String),
      }),
    ]);
    expect(scans.body.collectors[0].error).toBeUndefined();
  });

  it('looks a project up by name and version', async () => {
    const { collect, findings } = await startBackend();

    const run = await collect('component:default/payments-worker');

    expect(run.body.status).toBe('stored');
    expect(
      (await findings('component:default/payments-worker')).totalCount,
    ).toBe(8);
    expect(fake.requests.map(received => received.path)).toContain(
      '/api/v1/project/lookup',
    );
  });

  it('records a missing project as a failing source without storing anything', async () => {
    const { server, collect } = await startBackend();

    const run = await collect('component:default/ghost');

    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'failed' });
    expect(run.body.error).toContain(
      'has no project with UUID 00000000-0000-4000-8000-000000000000',
    );
    expect(run.body.error).toContain(
      'see the annotation dependencytrack/project-id of component:default/ghost',
    );

    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/ghost' });
    expect(scans.body.items).toEqual([]);
    expect(scans.body.collectors).toEqual([
      expect.objectContaining({
        sourceId: 'dependency-track',
        error: expect.stringContaining('has no project with UUID'),
      }),
    ]);

    // The other entities are still collected.
    expect((await collect('component:default/payments-api')).body.status).toBe(
      'stored',
    );
  });

  it('records a project no allow glob allows as refused, without asking Dependency-Track', async () => {
    const { server, collect } = await startBackend();

    const run = await collect('component:default/intruder');

    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(
        "Refused to collect dependency-track for component:default/intruder: the Dependency-Track project 'another-teams-project'",
      ),
      scans: [],
    });
    expect(fake.requests).toEqual([]);
    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/intruder' });
    expect(scans.body.collectors).toEqual([
      expect.objectContaining({
        sourceId: 'dependency-track',
        error: run.body.error,
      }),
    ]);
  });

  it('records a rejected API key with the config key to fix', async () => {
    fake.failNext(401);
    const { collect } = await startBackend();

    const run = await collect('component:default/payments-api');

    expect(run.body.status).toBe('failed');
    expect(run.body.error).toContain(
      'rejected the API key (401 Unauthorized); check securityScorecards.dependencyTrack.apiKey',
    );
  });

  it('adds no source without configuration', async () => {
    const { server } = await startTestBackend({
      features: [
        securityScorecardsPlugin,
        securityScorecardsModuleDependencyTrack,
        catalogServiceMock.factory({ entities }),
      ],
    });

    const sources = await request(server).get(
      '/api/security-scorecards/sources',
    );

    expect(sources.status).toBe(200);
    expect(sources.body.items).not.toContainEqual({ id: 'dependency-track' });
  });
});
