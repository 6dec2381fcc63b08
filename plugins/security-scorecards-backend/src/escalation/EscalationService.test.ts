import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { ConfigReader } from '@backstage/config';
import { NormalizedFinding } from '@secdevops/plugin-security-scorecards-common';
import knexFactory, { Knex } from 'knex';
import { acmeGroups } from '../__testUtils__/catalog';
import { createTestDatabases } from '../__testUtils__/databases';
import { findingOf, scanOf } from '../__testUtils__/scans';
import { createTestStore } from '../__testUtils__/stores';
import { CatalogEntityCache } from '../catalog/CatalogEntityCache';
import { SlaPolicy } from '../sla/SlaPolicy';
import {
  EscalationService,
  EscalationSettings,
  readEscalationSettings,
} from './EscalationService';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const T0 = new Date('2026-10-01T08:00:00.000Z');
const at = (days: number, hours = 0) =>
  new Date(T0.getTime() + days * DAY_MS + hours * HOUR_MS);

function component(name: string, owner?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', title: `The ${name}` },
    spec: {
      type: 'service',
      lifecycle: 'production',
      ...(owner ? { owner } : {}),
    },
  };
}

// acme > commerce > payments > fraud, and acme > platform.
const catalogEntities: Entity[] = [
  ...acmeGroups,
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: ['payments'] },
  },
  component('checkout', 'payments'),
  component('fraud-detector', 'group:default/fraud'),
  component('legacy', 'user:alice'),
  component('orphan'),
];

/** An open, critical finding `CVE-2026-<fingerprint>` without identifiers. */
function finding(
  fingerprint: string,
  overrides: Partial<NormalizedFinding> = {},
): NormalizedFinding {
  return findingOf(fingerprint, {
    ruleId: `CVE-2026-${fingerprint}`,
    severity: 'critical',
    identifiers: [],
    ...overrides,
  });
}

/** A notification service that records what it is asked to send. */
function recordingNotifications(delayMs = 0) {
  const sent: NotificationSendOptions[] = [];
  const service: NotificationService & { failNext?: boolean } = {
    async send(options) {
      if (delayMs) await new Promise(resolve => setTimeout(resolve, delayMs));
      if (service.failNext) {
        service.failNext = false;
        throw new Error('notifications backend unavailable');
      }
      sent.push(options);
    },
  };
  return { service, sent };
}

const scopes = (sent: NotificationSendOptions[]) =>
  sent.map(notification => notification.payload.scope);

describe('readEscalationSettings', () => {
  it('reads defaults, a fallback group and a maximum level', () => {
    expect(readEscalationSettings(new ConfigReader({}))).toEqual({
      intervalDays: 7,
    });
    expect(
      readEscalationSettings(
        new ConfigReader({
          securityScorecards: {
            escalation: {
              intervalDays: 3,
              maxLevel: 2,
              fallbackGroup: 'security',
            },
          },
        }),
      ),
    ).toEqual({
      intervalDays: 3,
      maxLevel: 2,
      fallbackGroupRef: 'group:default/security',
    });
  });

  it('fails on values that cannot work', () => {
    const settings = (escalation: object) =>
      readEscalationSettings(
        new ConfigReader({ securityScorecards: { escalation } }),
      );
    expect(() => settings({ intervalDays: 0 })).toThrow(/intervalDays/);
    expect(() => settings({ maxLevel: 1.5 })).toThrow(/maxLevel/);
    expect(() => settings({ fallbackGroup: 'user:default/bob' })).toThrow(
      /fallbackGroup must be a group/,
    );
  });
});

describe.each(databases.eachSupportedId())(
  'EscalationService on %s',
  databaseId => {
    async function setUp(
      id: TestDatabaseId,
      options: {
        settings?: Partial<EscalationSettings>;
        entities?: Entity[];
        knex?: Knex;
        notifications?: NotificationService;
      } = {},
    ) {
      let now = T0;
      const clock = () => now;
      const sla = new SlaPolicy();
      const { knex, database, store } = await createTestStore(databases, id, {
        knex: options.knex,
        sla,
        clock,
      });
      const catalogCache = await CatalogEntityCache.create({
        database,
        catalog: catalogServiceMock({
          entities: options.entities ?? catalogEntities,
        }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        kinds: ['component'],
        clock,
      });
      const recorded = recordingNotifications();
      const notifications = options.notifications ?? recorded.service;
      const service = await EscalationService.create({
        database,
        sla,
        catalogCache,
        notifications,
        logger: mockServices.logger.mock(),
        settings: { intervalDays: 7, ...options.settings },
        clock,
      });
      const scan = (entity: string, findings: NormalizedFinding[]) =>
        store.storeScan(
          scanOf({ entityRef: `component:default/${entity}`, findings }),
        );
      return {
        knex,
        database,
        store,
        catalogCache,
        service,
        sent: recorded.sent,
        notifications: recorded.service,
        scan,
        setNow: (time: Date) => {
          now = time;
        },
      };
    }

    it('escalates a breach to the owner group, then after each interval to the parent and the grandparent, once per step', async () => {
      const context = await setUp(databaseId);
      const { service, sent, scan, setNow } = context;
      await context.catalogCache.refresh();
      // A critical finding (7-day SLA) and a high one (30 days), first seen at T0.
      await scan('checkout', [
        finding('1'),
        finding('2', { severity: 'high' }),
      ]);

      setNow(at(6));
      expect(await service.run()).toMatchObject({ breached: 0, opened: 0 });
      expect(sent).toEqual([]);

      // Breached at T0 + 7 days: level 1, the owner group.
      setNow(at(7, 1));
      expect(await service.run()).toMatchObject({
        breached: 1,
        opened: 1,
        notified: 1,
      });
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'group:default/payments' },
          payload: {
            title: 'Critical SLA breach on The checkout: escalation level 1',
            description: expect.stringContaining(
              '1 open finding is past the remediation SLA on component:default/checkout (highest severity critical), the oldest 0 days overdue since 2026-10-08',
            ),
            link: '/catalog/default/component/checkout/security?sla=breached',
            severity: 'critical',
            topic: 'security-scorecards-escalation',
            scope:
              'security-scorecards:escalation:component:default/checkout:1',
          },
        },
      ]);
      const [level1] = await service.list({
        entityRef: 'component:default/checkout',
        limit: 10,
      });
      expect(level1).toEqual({
        id: expect.any(String),
        entityRef: 'component:default/checkout',
        targetRef: 'group:default/payments',
        level: 1,
        state: 'active',
        findingCount: 1,
        severity: 'critical',
        breachedAt: at(7).toISOString(),
        nextStepAt: at(14).toISOString(),
        ladder: [
          {
            level: 1,
            targetRef: 'group:default/payments',
            dueAt: at(7).toISOString(),
            notifiedAt: at(7, 1).toISOString(),
          },
          {
            level: 2,
            targetRef: 'group:default/commerce',
            dueAt: at(14).toISOString(),
          },
          {
            level: 3,
            targetRef: 'group:default/acme',
            dueAt: at(21).toISOString(),
          },
        ],
      });

      // Runs in between send nothing again.
      setNow(at(10));
      expect(await service.run()).toMatchObject({ opened: 0, notified: 0 });
      setNow(at(14, 1));
      expect(await service.run()).toMatchObject({ notified: 1 });
      expect(await service.run()).toMatchObject({ notified: 0 });
      expect(sent[1]).toMatchObject({
        recipients: { entityRef: 'group:default/commerce' },
        payload: {
          title: 'Critical SLA breach on The checkout: escalation level 2',
          description: expect.stringContaining('the oldest 7 days overdue'),
          scope: 'security-scorecards:escalation:component:default/checkout:2',
        },
      });

      setNow(at(21, 1));
      await service.run();
      // The high finding breaches at T0 + 30 days: two findings, same ladder.
      setNow(at(31));
      await service.run();
      setNow(at(60));
      await service.run();
      expect(sent.map(notification => notification.recipients)).toEqual([
        { type: 'entity', entityRef: 'group:default/payments' },
        { type: 'entity', entityRef: 'group:default/commerce' },
        { type: 'entity', entityRef: 'group:default/acme' },
      ]);
      const [top] = await service.list({
        entityRef: 'component:default/checkout',
        limit: 10,
      });
      expect(top).toMatchObject({
        id: level1.id,
        level: 3,
        targetRef: 'group:default/acme',
        findingCount: 2,
        state: 'active',
      });
      expect(top.nextStepAt).toBeUndefined();
      expect(top.ladder.map(step => step.notifiedAt)).toEqual([
        at(7, 1).toISOString(),
        at(14, 1).toISOString(),
        at(21, 1).toISOString(),
      ]);
    });

    it('stops at maxLevel and sends the levels a late run reaches at once, in order', async () => {
      const context = await setUp(databaseId, { settings: { maxLevel: 2 } });
      const { service, sent, scan, setNow } = context;
      await context.catalogCache.refresh();
      await scan('fraud-detector', [finding('1')]);

      // 30 days after the breach, levels 1 to 4 would be due; maxLevel is 2.
      setNow(at(37));
      expect(await service.run()).toMatchObject({ notified: 2 });
      setNow(at(90));
      expect(await service.run()).toMatchObject({ notified: 0 });
      expect(sent.map(notification => notification.recipients)).toEqual([
        { type: 'entity', entityRef: 'group:default/fraud' },
        { type: 'entity', entityRef: 'group:default/payments' },
      ]);
      const [escalation] = await service.list({ limit: 10 });
      expect(escalation).toMatchObject({
        level: 2,
        targetRef: 'group:default/payments',
      });
      expect(escalation.nextStepAt).toBeUndefined();
      expect(escalation.ladder).toHaveLength(2);

      // Filtered: the candidates are asked once; an entity not passed is left out.
      const visible = jest.fn(async (refs: readonly string[]) => new Set(refs));
      const listed = await service.list({ limit: 10, visible });
      expect(listed.map(item => item.entityRef)).toEqual([
        escalation.entityRef,
      ]);
      expect(visible.mock.calls).toEqual([[[escalation.entityRef]]]);
      expect(
        await service.list({ limit: 10, visible: async () => new Set() }),
      ).toEqual([]);
    });

    it("escalates a user-owned entity to the user's group, and one without owner to the fallback group", async () => {
      const context = await setUp(databaseId, {
        settings: { fallbackGroupRef: 'group:default/platform' },
      });
      const { service, sent, scan, setNow } = context;
      await context.catalogCache.refresh();
      await scan('legacy', [finding('1')]);
      await scan('orphan', [finding('2', { severity: 'high' })]);

      setNow(at(31));
      await service.run();
      expect(
        sent.map(notification => [
          notification.payload.scope,
          notification.recipients,
        ]),
      ).toEqual([
        [
          'security-scorecards:escalation:component:default/legacy:1',
          { type: 'entity', entityRef: 'group:default/payments' },
        ],
        [
          'security-scorecards:escalation:component:default/legacy:2',
          { type: 'entity', entityRef: 'group:default/commerce' },
        ],
        [
          'security-scorecards:escalation:component:default/legacy:3',
          { type: 'entity', entityRef: 'group:default/acme' },
        ],
        [
          'security-scorecards:escalation:component:default/orphan:1',
          { type: 'entity', entityRef: 'group:default/platform' },
        ],
      ]);
      expect(sent[3].payload).toMatchObject({
        severity: 'high',
        description: expect.stringContaining(
          'owner group: none (escalated to the fallback group group:default/platform)',
        ),
      });
      const [orphan] = await service.list({
        entityRef: 'component:default/orphan',
        limit: 10,
      });
      expect(orphan.ladder.map(step => step.targetRef)).toEqual([
        'group:default/platform',
        'group:default/acme',
      ]);
      // The fallback group's subtree sees the escalation of the unowned entity.
      expect(
        (
          await service.list({ groupRef: 'group:default/platform', limit: 10 })
        ).map(escalation => escalation.entityRef),
      ).toEqual(['component:default/orphan']);
    });

    it('leaves an entity without owner alone when no fallback group is set', async () => {
      const context = await setUp(databaseId);
      await context.catalogCache.refresh();
      await context.scan('orphan', [finding('1')]);
      context.setNow(at(20));
      expect(await context.service.run()).toMatchObject({
        breached: 1,
        unowned: 1,
        opened: 0,
      });
      expect(context.sent).toEqual([]);
    });

    it('closes the escalation when the finding is fixed, and opens a new one on a new breach', async () => {
      const context = await setUp(databaseId);
      const { service, sent, scan, setNow } = context;
      await context.catalogCache.refresh();
      await scan('checkout', [finding('1')]);
      setNow(at(15));
      await service.run();
      expect(sent).toHaveLength(2);

      // A later scan without the finding fixes it.
      setNow(at(16));
      await scan('checkout', []);
      setNow(at(16, 1));
      expect(await service.run()).toMatchObject({ closed: 1, notified: 0 });
      const [closed] = await service.list({
        entityRef: 'component:default/checkout',
        limit: 10,
      });
      expect(closed).toMatchObject({
        state: 'closed',
        closedReason: 'resolved',
        closedAt: at(16, 1).toISOString(),
        level: 2,
      });
      expect(closed.nextStepAt).toBeUndefined();
      expect(closed.ladder.map(step => step.level)).toEqual([1, 2]);
      setNow(at(30));
      expect(await service.run()).toMatchObject({ closed: 0, notified: 0 });

      // A new finding, breached 7 days later: a new escalation from level 1.
      await scan('checkout', [finding('2')]);
      setNow(at(37, 1));
      expect(await service.run()).toMatchObject({ opened: 1, notified: 1 });
      const escalations = await service.list({
        entityRef: 'component:default/checkout',
        limit: 10,
      });
      expect(
        escalations.map(escalation => [escalation.state, escalation.level]),
      ).toEqual([
        ['active', 1],
        ['closed', 2],
      ]);
      expect(escalations[0].id).not.toBe(closed.id);
      expect(
        (await service.list({ state: 'closed', limit: 10 })).map(e => e.id),
      ).toEqual([closed.id]);
      // Same scope as the first level-1 notification: it updates that one.
      expect(scopes(sent)).toEqual([
        'security-scorecards:escalation:component:default/checkout:1',
        'security-scorecards:escalation:component:default/checkout:2',
        'security-scorecards:escalation:component:default/checkout:1',
      ]);
    });

    it('closes a waived finding as resolved and an entity gone from the catalog as entity-removed', async () => {
      const context = await setUp(databaseId);
      const { service, scan, setNow, knex } = context;
      await context.catalogCache.refresh();
      await scan('checkout', [finding('1')]);
      await scan('fraud-detector', [finding('2')]);
      setNow(at(8));
      expect(await service.run()).toMatchObject({ opened: 2 });

      // A waived finding is not open: its escalation stops.
      await knex('findings')
        .where({ entity_ref: 'component:default/checkout' })
        .update({ status: 'waived' });
      // fraud-detector leaves the catalog.
      const otherCache = await CatalogEntityCache.create({
        database: context.database,
        catalog: catalogServiceMock({
          entities: catalogEntities.filter(
            entity => entity.metadata.name !== 'fraud-detector',
          ),
        }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        kinds: ['component'],
        clock: () => at(9),
      });
      await otherCache.refresh();
      setNow(at(9, 1));
      expect(await service.run()).toMatchObject({ closed: 2 });
      const closed = await service.list({ state: 'closed', limit: 10 });
      expect(
        closed
          .map(escalation => [escalation.entityRef, escalation.closedReason])
          .sort(),
      ).toEqual([
        ['component:default/checkout', 'resolved'],
        ['component:default/fraud-detector', 'entity-removed'],
      ]);
      expect(await service.list({ state: 'active', limit: 10 })).toEqual([]);
    });

    it('retries a step whose notification failed at the next run', async () => {
      const context = await setUp(databaseId);
      const { service, sent, scan, setNow, notifications } = context;
      await context.catalogCache.refresh();
      await scan('checkout', [finding('1')]);
      setNow(at(15));
      notifications.failNext = true;
      // Level 1 fails; level 2 waits for it.
      expect(await service.run()).toMatchObject({ notified: 0, failed: 1 });
      setNow(at(15, 1));
      expect(await service.run()).toMatchObject({ notified: 2, failed: 0 });
      expect(await service.run()).toMatchObject({ notified: 0 });
      expect(scopes(sent)).toEqual([
        'security-scorecards:escalation:component:default/checkout:1',
        'security-scorecards:escalation:component:default/checkout:2',
      ]);
    });

    it('lists the escalations of a group subtree', async () => {
      const context = await setUp(databaseId);
      const { service, scan, setNow } = context;
      await context.catalogCache.refresh();
      await scan('checkout', [finding('1')]);
      await scan('fraud-detector', [finding('2')]);
      await scan('legacy', [finding('3')]);
      setNow(at(8));
      await service.run();
      const refs = async (groupRef: string) =>
        (await service.list({ groupRef, limit: 10 }))
          .map(escalation => escalation.entityRef)
          .sort();
      expect(await refs('group:default/commerce')).toEqual([
        'component:default/checkout',
        'component:default/fraud-detector',
        'component:default/legacy',
      ]);
      expect(await refs('group:default/fraud')).toEqual([
        'component:default/fraud-detector',
      ]);
      expect(await refs('group:default/platform')).toEqual([]);
    });

    it('sends each step exactly once when two backend instances run at the same time', async () => {
      // Two instances: each its own service, database client (a second
      // connection pool on PostgreSQL) and notification service, sharing
      // one database.
      const first = await setUp(databaseId, {
        notifications: recordingNotifications(25).service,
      });
      const pg = databaseId.startsWith('POSTGRES');
      const secondKnex = pg
        ? knexFactory({
            client: 'pg',
            connection: first.knex.client.config.connection,
            pool: { min: 0, max: 5 },
          })
        : first.knex;
      try {
        const sent: NotificationSendOptions[] = [];
        const sharedLog = (delayMs: number): NotificationService => ({
          async send(options) {
            await new Promise(resolve => setTimeout(resolve, delayMs));
            sent.push(options);
          },
        });
        const instanceA = await setUp(databaseId, {
          knex: first.knex,
          notifications: sharedLog(20),
        });
        const instanceB = await setUp(databaseId, {
          knex: secondKnex,
          notifications: sharedLog(5),
        });
        await instanceA.catalogCache.refresh();
        for (const entity of ['checkout', 'fraud-detector', 'legacy']) {
          await instanceA.scan(entity, [finding(entity)]);
        }
        const times = [at(7, 1), at(8), at(14, 1), at(21, 1), at(28, 1)];
        for (const time of times) {
          instanceA.setNow(time);
          instanceB.setNow(time);
          const results = await Promise.all([
            instanceA.service.run(),
            instanceB.service.run(),
            instanceA.service.run(),
            instanceB.service.run(),
          ]);
          expect(results.every(result => result.failed === 0)).toBe(true);
        }
        const expected = [
          ...['checkout', 'legacy'].flatMap(entity =>
            [1, 2, 3].map(
              level =>
                `security-scorecards:escalation:component:default/${entity}:${level}`,
            ),
          ),
          ...[1, 2, 3, 4].map(
            level =>
              `security-scorecards:escalation:component:default/fraud-detector:${level}`,
          ),
        ].sort();
        expect(scopes(sent).sort()).toEqual(expected);
        // One escalation per entity, whichever instance opened it.
        const escalations = await instanceB.service.list({ limit: 10 });
        expect(escalations).toHaveLength(3);
        expect(
          escalations.every(escalation =>
            escalation.ladder.every(step => step.notifiedAt),
          ),
        ).toBe(true);
      } finally {
        if (pg) await secondKnex.destroy();
      }
    });
  },
);
