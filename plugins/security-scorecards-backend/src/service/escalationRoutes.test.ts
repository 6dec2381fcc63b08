import {
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { acmeGroups, serviceComponent } from '../__testUtils__/catalog';
import { expectToMatchSpec } from '../__testUtils__/openApiSpec';
import {
  permissionsAllowingOnEntities,
  permissionsDenying,
} from '../__testUtils__/permissions';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1000;

// acme > commerce > payments > fraud, and acme > platform.
const entities: Entity[] = [
  ...acmeGroups,
  serviceComponent('checkout', 'payments'),
  serviceComponent('fraud-detector', 'fraud'),
  serviceComponent('platform-api', 'platform'),
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

async function startBackend(
  options: { deny?: string[]; permissions?: ServiceFactory } = {},
) {
  const sent: NotificationSendOptions[] = [];
  const scheduler = mockServices.scheduler.mock();
  const features = [
    securityScorecardsPlugin,
    mockServices.database.factory(),
    catalogServiceMock.factory({ entities }),
    mockServices.rootConfig.factory({
      data: { securityScorecards: { escalation: { intervalDays: 7 } } },
    }),
    scheduler.factory,
    createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({
        send: async (notification: NotificationSendOptions) => {
          sent.push(notification);
        },
      }),
    }),
    options.permissions ?? permissionsDenying(options.deny ?? []),
  ];
  const { server } = await startTestBackend({ features });
  /** Runs a scheduled task of the plugin now, as the scheduler would. */
  const runTask = async (id: string) => {
    const call = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === id,
    );
    if (!call) throw new Error(`Task ${id} was not scheduled`);
    await call[0].fn(new AbortController().signal);
  };
  return { server, sent, runTask };
}

describe('GET /escalations', () => {
  it('lists escalations of an entity, of a group subtree and by state, as the spec says', async () => {
    const { server, sent, runTask } = await startBackend();
    const upload = (entity: string, body: Buffer, scannedAt?: Date) =>
      request(server)
        .post('/api/security-scorecards/scans')
        .query({
          entityRef: `component:default/${entity}`,
          source: 'scanner',
          ...(scannedAt ? { scannedAt: scannedAt.toISOString() } : {}),
        })
        .set('Content-Type', 'application/octet-stream')
        .send(body);

    // Critical findings first seen 30 days ago: breached 23 days ago.
    const scannedAt = new Date(Date.now() - 30 * DAY_MS);
    for (const entity of ['checkout', 'fraud-detector']) {
      expect(
        (await upload(entity, sarif(['R1', 'R2']), scannedAt)).status,
      ).toBe(201);
    }
    await runTask('security-scorecards-catalog-refresh');
    await runTask('security-scorecards-escalation');

    const all = await request(server).get(
      '/api/security-scorecards/escalations',
    );
    expect(all.status).toBe(200);
    expectToMatchSpec('GET', '/escalations', all);
    // Level 1 at the breach, one more every 7 days: 4 levels reached in 23 days.
    expect(
      all.body.items.map((item: any) => [
        item.entityRef,
        item.level,
        item.targetRef,
        item.findingCount,
        item.severity,
      ]),
    ).toEqual([
      [
        'component:default/fraud-detector',
        4,
        'group:default/acme',
        2,
        'critical',
      ],
      ['component:default/checkout', 3, 'group:default/acme', 2, 'critical'],
    ]);
    expect(all.body.items[1].ladder).toEqual([
      expect.objectContaining({
        level: 1,
        targetRef: 'group:default/payments',
        notifiedAt: expect.any(String),
      }),
      expect.objectContaining({
        level: 2,
        targetRef: 'group:default/commerce',
      }),
      expect.objectContaining({ level: 3, targetRef: 'group:default/acme' }),
    ]);
    expect(sent).toHaveLength(7);
    expect(sent[0].payload.link).toBe(
      '/catalog/default/component/checkout/security?sla=breached',
    );

    const refsOf = async (query: Record<string, string>) => {
      const response = await request(server)
        .get('/api/security-scorecards/escalations')
        .query(query);
      expect(response.status).toBe(200);
      expectToMatchSpec('GET', '/escalations', response);
      return response.body.items.map((item: any) => item.entityRef);
    };
    expect(await refsOf({ groupRef: 'group:default/commerce' })).toEqual([
      'component:default/fraud-detector',
      'component:default/checkout',
    ]);
    expect(await refsOf({ groupRef: 'group:default/fraud' })).toEqual([
      'component:default/fraud-detector',
    ]);
    expect(await refsOf({ groupRef: 'group:default/platform' })).toEqual([]);
    expect(
      await refsOf({
        entityRef: 'component:default/checkout',
        state: 'active',
      }),
    ).toEqual(['component:default/checkout']);
    expect(await refsOf({ state: 'closed' })).toEqual([]);

    // A scan without the findings fixes them: the escalation closes.
    expect((await upload('checkout', sarif([]))).status).toBe(201);
    await runTask('security-scorecards-escalation');
    const closed = await request(server)
      .get('/api/security-scorecards/escalations')
      .query({ state: 'closed' });
    expectToMatchSpec('GET', '/escalations', closed);
    expect(closed.body.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/checkout',
        state: 'closed',
        closedReason: 'resolved',
        level: 3,
      }),
    ]);
    expect(sent).toHaveLength(7);
  });

  it('answers 400 for bad parameters, and 403 without the scorecard read permission', async () => {
    const { server } = await startBackend();
    for (const query of [
      { groupRef: 'component:default/checkout' },
      { groupRef: 'group:default/acme', entityRef: 'component:default/x' },
      { state: 'open' },
      { limit: '0' },
    ]) {
      const response = await request(server)
        .get('/api/security-scorecards/escalations')
        .query(query);
      expect({ query, status: response.status }).toEqual({
        query,
        status: 400,
      });
      expectToMatchSpec('GET', '/escalations', response);
    }

    const denied = await startBackend({
      deny: ['security-scorecards.scorecard.read'],
    });
    for (const query of [{}, { groupRef: 'group:default/acme' }]) {
      const response = await request(denied.server)
        .get('/api/security-scorecards/escalations')
        .query(query);
      expect({ query, status: response.status }).toEqual({
        query,
        status: 403,
      });
      expectToMatchSpec('GET', '/escalations', response);
      expect(response.body.error.message).toBe(
        'Not allowed: security-scorecards.scorecard.read',
      );
    }
  });

  it('lists only the entities the caller may read the scorecard of, asked in one batched call, and names none in a 403', async () => {
    const checkout = 'component:default/checkout';
    const fraudDetector = 'component:default/fraud-detector';
    const permissions = permissionsAllowingOnEntities(
      'security-scorecards.scorecard.read',
      [checkout],
    );
    const { server, runTask } = await startBackend({
      permissions: permissions.factory,
    });
    const scannedAt = new Date(Date.now() - 30 * DAY_MS).toISOString();
    for (const entityRef of [checkout, fraudDetector]) {
      const uploaded = await request(server)
        .post('/api/security-scorecards/scans')
        .query({ entityRef, source: 'scanner', scannedAt })
        .set('Content-Type', 'application/octet-stream')
        .send(sarif(['R1']));
      expect(uploaded.status).toBe(201);
    }
    await runTask('security-scorecards-catalog-refresh');
    await runTask('security-scorecards-escalation');

    /** The escalated entities listed, and the scorecard.read checks made for the list. */
    const listed = async (query: Record<string, string>) => {
      permissions.authorize.mockClear();
      const response = await request(server)
        .get('/api/security-scorecards/escalations')
        .query(query);
      expect(response.status).toBe(200);
      expectToMatchSpec('GET', '/escalations', response);
      const checks = permissions.authorize.mock.calls
        .map(([requests]) =>
          requests
            .filter(
              item =>
                item.permission.name === 'security-scorecards.scorecard.read',
            )
            .map(item => item.resourceRef),
        )
        .filter(refs => refs.length > 0);
      return {
        entityRefs: response.body.items.map((item: any) => item.entityRef),
        checks,
      };
    };
    // fraud-detector ranks first (a higher level): the limit applies after the filter.
    const queries: Array<Record<string, string>> = [
      {},
      { groupRef: 'group:default/commerce' },
      { limit: '1' },
    ];
    for (const query of queries) {
      expect({ query, ...(await listed(query)) }).toEqual({
        query,
        entityRefs: [checkout],
        checks: [[checkout, fraudDetector]],
      });
    }

    const denied = await request(server)
      .get('/api/security-scorecards/escalations')
      .query({ entityRef: fraudDetector });
    const unknown = await request(server)
      .get('/api/security-scorecards/escalations')
      .query({ entityRef: 'component:default/no-such-entity' });
    expectToMatchSpec('GET', '/escalations', denied);
    expect(denied.status).toBe(403);
    expect(unknown.status).toBe(403);
    // The error handler echoes the request; the error itself is the same.
    expect(unknown.body.error).toEqual(denied.body.error);
    expect(denied.body.error.message).toBe(
      'Not allowed: security-scorecards.scorecard.read',
    );
    expect(JSON.stringify(denied.body.error)).not.toMatch(/fraud-detector/);
  });
});

describe('POST /scans with scannedAt', () => {
  it('stores a backdated scan whose new findings are first seen then, and refuses times in the future or before the latest scan', async () => {
    const { server } = await startBackend();
    const upload = (query: Record<string, string>, body = sarif(['R1'])) =>
      request(server)
        .post('/api/security-scorecards/scans')
        .query({ entityRef: 'component:default/checkout', ...query })
        .set('Content-Type', 'application/octet-stream')
        .send(body);

    const sixtyDaysAgo = new Date(Date.now() - 60 * DAY_MS);
    const first = await upload({
      source: 'scanner',
      scannedAt: sixtyDaysAgo.toISOString(),
    });
    expect(first.status).toBe(201);
    expectToMatchSpec('POST', '/scans', first);

    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/checkout' });
    expect(scans.body.items[0].createdAt).toBe(sixtyDaysAgo.toISOString());
    const findings = await request(server)
      .get('/api/security-scorecards/findings')
      .query({ entityRef: 'component:default/checkout' });
    expect(findings.body.items).toEqual([
      expect.objectContaining({
        firstSeenAt: sixtyDaysAgo.toISOString(),
        slaState: 'breached',
      }),
    ]);

    // Not before (or at) the latest scan of the entity and source.
    const earlier = await upload({
      source: 'scanner',
      scannedAt: new Date(sixtyDaysAgo.getTime() - DAY_MS).toISOString(),
    });
    expect(earlier.status).toBe(400);
    expectToMatchSpec('POST', '/scans', earlier);
    expect(earlier.body.error.message).toMatch(
      /scannedAt .* must be after the latest scan of component:default\/checkout from source scanner/,
    );
    // Another source has its own history.
    expect(
      (
        await upload({
          source: 'other',
          scannedAt: new Date(sixtyDaysAgo.getTime() - DAY_MS).toISOString(),
        })
      ).status,
    ).toBe(201);

    const future = await upload({
      source: 'scanner',
      scannedAt: new Date(Date.now() + DAY_MS).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.message).toMatch(/scannedAt .* is in the future/);

    const malformed = await upload({ scannedAt: 'last tuesday' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /Query parameter scannedAt must be an ISO 8601 time/,
    );

    // A later scan without the finding fixes it; the first-seen time stays.
    expect(
      (
        await upload({
          source: 'scanner',
          scannedAt: new Date(sixtyDaysAgo.getTime() + DAY_MS).toISOString(),
        })
      ).status,
    ).toBe(201);
    expect((await upload({ source: 'scanner' }, sarif([]))).status).toBe(201);
    const fixed = await request(server)
      .get('/api/security-scorecards/findings')
      .query({ entityRef: 'component:default/checkout', status: 'fixed' });
    expect(fixed.body.items).toEqual([
      expect.objectContaining({ firstSeenAt: sixtyDaysAgo.toISOString() }),
    ]);
  });
});
