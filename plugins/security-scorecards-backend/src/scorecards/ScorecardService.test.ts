import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NormalizedDependency,
  NormalizedFinding,
} from '@secdevops/plugin-security-scorecards-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { findingOf, scanOf } from '../__testUtils__/scans';
import { createTestStore } from '../__testUtils__/stores';
import { CatalogEntityCache } from '../catalog/CatalogEntityCache';
import { NewScan } from '../database/ScorecardStore';
import { SlaPolicy } from '../sla/SlaPolicy';
import { builtInCheckTypes } from './checkTypes';
import { Rubric } from './rubric';
import { ScorecardDatabase } from './ScorecardDatabase';
import { ScorecardService } from './ScorecardService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const DAY_MS = 24 * 60 * 60 * 1000;
const START = new Date('2026-11-01T12:00:00.000Z');

function group(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', title: `Team ${name}` },
    spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
  };
}

function component(
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

const alice: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alice', namespace: 'default' },
  spec: { memberOf: ['payments'] },
};

// acme > commerce > payments > fraud, and acme > platform.
const catalogEntities: Entity[] = [
  group('acme'),
  group('commerce', 'acme'),
  group('payments', 'commerce'),
  group('fraud', 'payments'),
  group('platform', 'acme'),
  alice,
  component('checkout', 'payments', {
    'security-scorecards/security-champion': 'user:default/alice',
  }),
  component('fraud-detector', 'group:default/fraud'),
  component('platform-api', 'platform'),
  component('legacy', 'user:alice'),
];

/** An open, high-severity finding `CVE-2026-<fingerprint>` without identifiers. */
function finding(
  fingerprint: string,
  overrides: Partial<NormalizedFinding>,
): NormalizedFinding {
  return findingOf(fingerprint, {
    ruleId: `CVE-2026-${fingerprint}`,
    identifiers: [],
    ...overrides,
  });
}

const lodash: NormalizedDependency = {
  purl: 'pkg:npm/lodash@4.17.20',
  name: 'lodash',
  version: '4.17.20',
  ecosystem: 'npm',
  licenses: ['MIT'],
};

describe.each(databases.eachSupportedId())(
  'ScorecardService on %s',
  databaseId => {
    async function setUp(
      id: TestDatabaseId,
      entities = catalogEntities,
      existing?: Knex,
    ) {
      let now = START;
      const clock = () => now;
      const sla = new SlaPolicy();
      const { knex, database, store } = await createTestStore(databases, id, {
        knex: existing,
        sla,
        clock,
      });
      const catalog = catalogServiceMock({ entities });
      const catalogCache = await CatalogEntityCache.create({
        database,
        catalog,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        kinds: ['component'],
        clock,
      });
      const service = new ScorecardService({
        database: await ScorecardDatabase.create({ database, sla }),
        catalogCache,
        rubric: Rubric.fromConfig(
          new ConfigReader({}),
          new Map(builtInCheckTypes.map(type => [type.type, type])),
        ),
        logger: mockServices.logger.mock(),
        clock,
      });
      const scan = (overrides: Partial<NewScan>) =>
        store.storeScan(
          scanOf({ entityRef: 'component:default/checkout', ...overrides }),
        );
      return {
        knex,
        store,
        catalogCache,
        service,
        scan,
        setNow: (time: Date) => {
          now = time;
        },
      };
    }

    /** checkout and platform-api get scans; fraud-detector and legacy get none. */
    async function seed(context: Awaited<ReturnType<typeof setUp>>) {
      const { scan, setNow } = context;
      // A high finding first seen 40 days before the evaluation: past its 30-day SLA.
      setNow(new Date(START.getTime() - 40 * DAY_MS));
      await scan({
        findings: [finding('1', { severity: 'high' })],
        dependencies: [lodash],
      });
      setNow(new Date(START.getTime() - 2 * DAY_MS));
      await scan({
        findings: [finding('1', { severity: 'high' })],
        dependencies: [lodash],
      });
      await scan({
        source: 'semgrep',
        format: 'sarif',
        scanner: 'Semgrep',
        categories: ['sast'],
      });
      await scan({
        source: 'gitleaks',
        format: 'gitleaks',
        scanner: 'gitleaks',
        categories: ['secret'],
      });
      // A critical finding of platform-api, 10 days old: past its 7-day SLA.
      setNow(new Date(START.getTime() - 10 * DAY_MS));
      await scan({
        entityRef: 'component:default/platform-api',
        source: 'grype',
        format: 'grype',
        scanner: 'Grype',
        findings: [finding('9', { severity: 'critical', scanner: 'Grype' })],
        dependencies: [lodash],
      });
      setNow(START);
      await context.catalogCache.refresh();
    }

    it('grades each entity against the rubric with evidence', async () => {
      const context = await setUp(databaseId);
      await seed(context);
      await expect(context.service.evaluateAll()).resolves.toEqual({
        entities: 4,
      });

      const checkout = await context.service.getEntityScorecard(
        'component:default/checkout',
      );
      // L1 passes; L2 fails on the overdue high finding.
      expect(checkout.level).toEqual({ rank: 1, name: 'Baseline' });
      expect(checkout.ownerRef).toBe('group:default/payments');
      expect(checkout.securityChampion).toBe('user:default/alice');
      expect(checkout.openFindings.high).toBe(1);
      expect(checkout.pastSla).toBe(1);
      const byId = new Map(checkout.checks.map(check => [check.id, check]));
      expect(byId.get('sast-scan-fresh')).toMatchObject({
        status: 'pass',
        evidence: 'SAST: last scan 2 days ago by Semgrep',
        level: 2,
      });
      expect(byId.get('no-high-past-sla')).toMatchObject({
        status: 'fail',
        evidence:
          '1 high finding past the 30-day SLA, the oldest 10 days overdue (first seen 2026-09-22)',
      });
      expect(byId.get('sbom-present')).toMatchObject({
        status: 'pass',
        evidence: 'SBOM lists 1 dependency',
      });
      expect(byId.get('iac-container-scan-fresh')?.status).toBe(
        'not-applicable',
      );
      expect(byId.get('ci-gate-enforced')?.status).toBe('fail');
      expect(checkout.score).toBeGreaterThan(0);
      expect(checkout.score).toBeLessThan(100);

      const platform = await context.service.getEntityScorecard(
        'component:default/platform-api',
      );
      expect(platform.level.rank).toBe(0);
      expect(platform.reason).toBeUndefined();
      expect(
        platform.checks.find(check => check.id === 'no-critical-past-sla'),
      ).toMatchObject({ status: 'fail' });

      const fraud = await context.service.getEntityScorecard(
        'component:default/fraud-detector',
      );
      expect(fraud.level).toEqual({ rank: 0, name: 'None' });
      expect(fraud.reason).toMatch(/No scan has been received/);
    });

    it('rolls a group up over its whole subtree, grandchildren included', async () => {
      const context = await setUp(databaseId);
      await seed(context);
      await context.service.evaluateAll();

      const commerce = await context.service.getGroupScorecard({
        groupRef: 'group:default/commerce',
      });
      // checkout (payments), fraud-detector (fraud, under payments) and
      // legacy (owned by alice, a member of payments).
      expect(commerce.entityCount).toBe(3);
      expect(commerce.children.map(child => child.groupRef)).toEqual([
        'group:default/payments',
      ]);
      expect(commerce.children[0]).toMatchObject({
        entityCount: 3,
        title: 'Team payments',
      });
      expect(commerce.levelDistribution).toEqual({
        '0': 2,
        '1': 1,
        '2': 0,
        '3': 0,
        '4': 0,
      });
      expect(commerce.openFindings.high).toBe(1);
      expect(commerce.pastSla).toBe(1);
      const hasOwner = commerce.compliance.find(
        row => row.checkId === 'has-owner',
      );
      expect(hasOwner?.cells['group:default/payments']).toEqual({
        pass: 3,
        fail: 0,
        notApplicable: 0,
      });
      expect(commerce.lowestEntities.map(entity => entity.entityRef)).toEqual(
        expect.arrayContaining([
          'component:default/checkout',
          'component:default/fraud-detector',
          'component:default/legacy',
        ]),
      );
      expect(commerce.lowestEntities[0].score).toBeLessThanOrEqual(
        commerce.lowestEntities[2].score,
      );

      const payments = await context.service.getGroupScorecard({
        groupRef: 'group:default/payments',
        targetLevel: 1,
      });
      expect(payments.children.map(child => child.groupRef)).toEqual([
        'group:default/fraud',
      ]);
      expect(payments.children[0].entityCount).toBe(1);
      expect(payments.entityCount).toBe(3);
      expect(payments.atTarget).toBe(1);
      expect(payments.shareAtTarget).toBeCloseTo(0.333, 3);

      const organization = await context.service.getGroupScorecard({});
      expect(organization.entityCount).toBe(4);
      expect(organization.children.map(child => child.groupRef)).toEqual([
        'group:default/acme',
      ]);
      expect(organization.children[0].entityCount).toBe(4);
      expect(organization.openFindings.critical).toBe(1);
      expect(organization.trend).toHaveLength(1);
      expect(organization.trend[0]).toMatchObject({
        day: '2026-11-01',
        entityCount: 4,
      });

      const csv = await context.service.exportCsv('group:default/commerce');
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toBe(
        'entityRef,title,owner,levelRank,level,score,critical,high,medium,low,info,pastSla,evaluatedAt',
      );
      expect(lines).toHaveLength(4);
    });

    it('lists the lowest visible entities, past the first ten, from one check, and keeps the totals', async () => {
      const extra = Array.from({ length: 11 }, (_, index) =>
        component(`extra-${String(index).padStart(2, '0')}`, 'platform'),
      );
      const context = await setUp(databaseId, [...catalogEntities, ...extra]);
      await seed(context);
      await context.service.evaluateAll();
      const all = (await context.service.exportCsv())
        .trim()
        .split('\r\n')
        .slice(1)
        .map(line => line.split(',')[0]);
      expect(all).toHaveLength(15);
      // The highest-scoring entity: not among the ten lowest.
      const best = all[all.length - 1];
      const visible = jest.fn(async (refs: readonly string[]) => {
        return new Set(refs.filter(ref => ref === best));
      });

      const organization = await context.service.getGroupScorecard({
        visible,
      });
      expect(organization.entityCount).toBe(15);
      expect(organization.lowestEntities.map(e => e.entityRef)).toEqual([best]);
      expect(visible).toHaveBeenCalledTimes(1);
      expect([...visible.mock.calls[0][0]].sort()).toEqual([...all].sort());

      const csv = await context.service.exportCsv(undefined, { visible });
      expect(
        csv
          .trim()
          .split('\r\n')
          .slice(1)
          .map(l => l.split(',')[0]),
      ).toEqual([best]);
    });

    it('keeps one history point per day and reports the trend', async () => {
      const context = await setUp(databaseId);
      await seed(context);
      await context.service.evaluateAll();
      const first = await context.service.getEntityScorecard(
        'component:default/checkout',
      );
      expect(first.trend.days30).toEqual({
        days: 30,
        to: first.score,
        delta: 0,
        direction: 'flat',
      });

      // Ten days later the high finding is fixed by a new scan.
      context.setNow(new Date(START.getTime() + 10 * DAY_MS));
      await context.scan({ findings: [], dependencies: [lodash] });
      await context.service.evaluateAll();
      await context.service.evaluateAll();

      const later = await context.service.getEntityScorecard(
        'component:default/checkout',
      );
      expect(later.checks.find(c => c.id === 'no-high-past-sla')?.status).toBe(
        'pass',
      );
      expect(later.score).toBeGreaterThan(first.score);
      expect(later.trend.days30).toMatchObject({
        from: first.score,
        to: later.score,
        direction: 'up',
      });
      const history = await context.service.history(
        'component:default/checkout',
        90,
      );
      expect(history.map(point => point.day)).toEqual([
        '2026-11-01',
        '2026-11-11',
      ]);
      expect(history[0].openFindings.high).toBe(1);
      expect(history[1].openFindings.high).toBe(0);
      // The fix counts for the MTTR of high findings: open 50 days.
      const payments = await context.service.getGroupScorecard({
        groupRef: 'group:default/payments',
      });
      expect(payments.mttrDays.high).toBe(50);
    });

    it('drops entities that left the catalog from rollups and removes their data after retention', async () => {
      const context = await setUp(databaseId);
      await seed(context);
      await context.service.evaluateAll();

      const withoutPlatformApi = catalogEntities.filter(
        entity => entity.metadata.name !== 'platform-api',
      );
      const next = await setUp(databaseId, withoutPlatformApi, context.knex);
      next.setNow(new Date(START.getTime() + DAY_MS));
      await expect(next.catalogCache.refresh()).resolves.toMatchObject({
        missing: 1,
      });
      await next.service.catalogRefreshed();
      const organization = await next.service.getGroupScorecard({});
      expect(organization.entityCount).toBe(3);
      const hasOwner = organization.compliance.find(
        row => row.checkId === 'has-owner',
      );
      expect(hasOwner?.cells['group:default/acme']).toEqual({
        pass: 3,
        fail: 0,
        notApplicable: 0,
      });
      await expect(
        next.service.getEntityScorecard('component:default/platform-api'),
      ).rejects.toThrow(/not in the catalog/);

      // Its escalation, ladder steps and collector runs go with it.
      const platformApi = 'component:default/platform-api';
      await context.knex('escalations').insert({
        id: 'esc-platform-api',
        entity_ref: platformApi,
        state: 'closed',
        closed_reason: 'resolved',
        owner_group_ref: 'group:default/platform',
        level: 1,
        target_ref: 'group:default/platform',
        finding_count: 1,
        severity: 'high',
        breached_at: START,
        ladder: '[]',
        created_at: START,
        updated_at: START,
        closed_at: START,
      });
      await context.knex('escalation_steps').insert({
        escalation_id: 'esc-platform-api',
        level: 1,
        target_ref: 'group:default/platform',
        due_at: START,
        claimed_at: START,
      });
      await context.knex('source_runs').insert({
        source_id: 'url',
        entity_ref: platformApi,
        last_run_at: START,
      });

      await expect(
        next.catalogCache.removeMissingSince(START),
      ).resolves.toEqual([]);
      await expect(
        next.catalogCache.removeMissingSince(
          new Date(START.getTime() + 2 * DAY_MS),
        ),
      ).resolves.toEqual(['component:default/platform-api']);
      const scans = await context.knex('scans').where({
        entity_ref: 'component:default/platform-api',
      });
      expect(scans).toEqual([]);
      for (const [table, column] of [
        ['escalations', 'entity_ref'],
        ['escalation_steps', 'escalation_id'],
        ['source_runs', 'entity_ref'],
      ]) {
        expect(
          await context
            .knex(table)
            .where(
              column,
              table === 'escalation_steps' ? 'esc-platform-api' : platformApi,
            ),
        ).toEqual([]);
      }
    });
  },
);
