import { ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { acmeGroups, serviceComponent } from '../__testUtils__/catalog';
import { expectToMatchSpec } from '../__testUtils__/openApiSpec';
import {
  permissionsAllowingOnEntities,
  permissionsDenying,
} from '../__testUtils__/permissions';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const READ = 'security-scorecards.scorecard.read';
const checkout = 'component:default/checkout';
const fraudDetector = 'component:default/fraud-detector';
const unknownEntity = 'component:default/no-such-entity';

// checkout is owned by payments, fraud-detector by fraud (under payments).
const entities: Entity[] = [
  ...acmeGroups,
  serviceComponent('checkout', 'payments'),
  serviceComponent('fraud-detector', 'fraud'),
];

/** A SARIF report with one critical finding per rule id given. */
function sarif(ruleIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Test Scanner',
              rules: ruleIds.map(id => ({
                id,
                properties: { 'security-severity': '9.8' },
              })),
            },
          },
          results: ruleIds.map(id => ({
            ruleId: id,
            level: 'error',
            message: { text: `Finding ${id}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: `src/${id}.ts` },
                  region: { startLine: 1 },
                },
              },
            ],
          })),
        },
      ],
    }),
  );
}

/** A backend with both services scanned and graded, under the permissions given. */
async function startBackend(permissions: ServiceFactory) {
  const scheduler = mockServices.scheduler.mock();
  const { server } = await startTestBackend({
    features: [
      securityScorecardsPlugin,
      mockServices.database.factory(),
      catalogServiceMock.factory({ entities }),
      scheduler.factory,
      permissions,
    ],
  });
  const runTask = async (id: string) => {
    const call = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === id,
    );
    if (!call) throw new Error(`Task ${id} was not scheduled`);
    await call[0].fn(new AbortController().signal);
  };
  for (const [entityRef, ruleIds] of [
    [checkout, ['R1']],
    [fraudDetector, ['R1', 'R2', 'R3']],
  ] as const) {
    const uploaded = await request(server)
      .post('/api/security-scorecards/scans')
      .query({ entityRef, source: 'scanner' })
      .set('Content-Type', 'application/octet-stream')
      .send(sarif([...ruleIds]));
    expect(uploaded.status).toBe(201);
  }
  await runTask('security-scorecards-catalog-refresh');
  await runTask('security-scorecards-evaluation');
  return server;
}

describe('the scorecard routes with scorecard.read allowed on checkout only', () => {
  const permissions = permissionsAllowingOnEntities(READ, [checkout]);
  let server: Awaited<ReturnType<typeof startBackend>>;

  beforeAll(async () => {
    server = await startBackend(permissions.factory);
  });

  beforeEach(() => permissions.authorize.mockClear());

  /** The entity refs of each scorecard.read check made, one array per authorize call. */
  function readChecks(): Array<Array<string | undefined>> {
    return permissions.authorize.mock.calls
      .map(([requests]) =>
        requests
          .filter(item => item.permission.name === READ)
          .map(item => item.resourceRef)
          .sort(),
      )
      .filter(refs => refs.length > 0);
  }

  it('counts every entity in the rollup totals but lists only checkout, asked in one call', async () => {
    for (const groupRef of [undefined, 'group:default/payments']) {
      permissions.authorize.mockClear();
      const response = await request(server)
        .get('/api/security-scorecards/scorecards/group')
        .query(groupRef ? { entityRef: groupRef } : {});
      expect(response.status).toBe(200);
      expectToMatchSpec('GET', '/scorecards/group', response);
      expect({
        groupRef,
        entityCount: response.body.entityCount,
        criticals: response.body.openFindings.critical,
        lowest: response.body.lowestEntities.map((e: any) => e.entityRef),
        checks: readChecks(),
      }).toEqual({
        groupRef,
        entityCount: 2,
        criticals: 4,
        lowest: [checkout],
        checks: [[checkout, fraudDetector]],
      });
      expect(response.text).not.toContain('fraud-detector');
    }
  });

  it('exports only the rows of checkout, asked in one call', async () => {
    const response = await request(server).get(
      '/api/security-scorecards/scorecards/group/export',
    );
    expect(response.status).toBe(200);
    const rows = response.text.trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^component:default\/checkout,/);
    expect(response.text).not.toContain('fraud-detector');
    expect(readChecks()).toEqual([[checkout, fraudDetector]]);
  });

  it('answers the same 403, naming no entity, for a denied entity and an unknown one', async () => {
    const allowed = await request(server)
      .get('/api/security-scorecards/scorecards/entity')
      .query({ entityRef: checkout });
    expect(allowed.status).toBe(200);

    for (const route of ['/scorecards/entity', '/scorecards/history']) {
      const denied = await request(server)
        .get(`/api/security-scorecards${route}`)
        .query({ entityRef: fraudDetector });
      const unknown = await request(server)
        .get(`/api/security-scorecards${route}`)
        .query({ entityRef: unknownEntity });
      expectToMatchSpec('GET', route, denied);
      expect({ route, status: denied.status }).toEqual({ route, status: 403 });
      // The error handler echoes the request; the error itself is the same.
      expect(unknown.status).toBe(403);
      expect(unknown.body.error).toEqual(denied.body.error);
      expect(denied.body.error.message).toBe(`Not allowed: ${READ}`);
    }
  });

  it('serves the history of a group and the rubric, which name no entity', async () => {
    const group = await request(server)
      .get('/api/security-scorecards/scorecards/history')
      .query({ entityRef: 'group:default/payments' });
    expect(group.status).toBe(200);
    expectToMatchSpec('GET', '/scorecards/history', group);
    expect(group.body.items[0].entityCount).toBe(2);

    const rubric = await request(server).get('/api/security-scorecards/rubric');
    expect(rubric.status).toBe(200);
  });
});

describe('the scorecard routes with scorecard.read denied', () => {
  it('refuses the rollup, the export, the history and the rubric, naming no entity', async () => {
    const server = await startBackend(permissionsDenying([READ]));

    for (const [path, query] of [
      ['/scorecards/group', {}],
      ['/scorecards/group', { entityRef: 'group:default/payments' }],
      ['/scorecards/group/export', {}],
      ['/scorecards/history', {}],
      ['/scorecards/history', { entityRef: 'group:default/payments' }],
      ['/rubric', {}],
    ] as const) {
      const response = await request(server)
        .get(`/api/security-scorecards${path}`)
        .query(query);
      expect({ path, query, status: response.status }).toEqual({
        path,
        query,
        status: 403,
      });
      expectToMatchSpec('GET', path, response);
      expect(response.body.error.message).toBe(`Not allowed: ${READ}`);
    }
  });
});
