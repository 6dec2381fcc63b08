import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  NormalizedFinding,
  WaiverHistoryEntry,
} from '@secdevops/plugin-security-scorecards-common';
import { parseReport } from '@secdevops/plugin-security-scorecards-node';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { findingOf, scanOf } from '../__testUtils__/scans';
import { createTestStore } from '../__testUtils__/stores';
import { DatabaseScorecardStore } from '../database/DatabaseScorecardStore';
import { NewScan } from '../database/ScorecardStore';
import { VEX_TOOL_NAME } from './vex';
import { WaiverService } from './WaiverService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const payments = 'component:default/payments';
const checkout = 'component:default/checkout';
const alice = 'user:default/alice';
const bob = 'user:default/bob';
const DAY_MS = 24 * 60 * 60 * 1000;
const start = new Date('2026-01-01T00:00:00.000Z');

function lodash(version: string) {
  return {
    purl: `pkg:npm/lodash@${version}`,
    name: 'lodash',
    version,
    ecosystem: 'npm',
    fixedVersions: ['4.17.21'],
  };
}

/** Two lodash versions with the same CVE, lodash-es, a SAST finding and a suppressed one. */
const defaultFindings: NormalizedFinding[] = [
  findingOf('lodash-old', {
    ruleId: 'CVE-2021-23337',
    identifiers: ['CVE-2021-23337', 'CWE-94'],
    severity: 'high',
    cvss: { version: '3.1', score: 7.2, vector: 'CVSS:3.1/AV:N/AC:L' },
    package: lodash('4.17.20'),
  }),
  findingOf('lodash-older', {
    ruleId: 'CVE-2021-23337',
    identifiers: ['CVE-2021-23337'],
    package: lodash('4.17.15'),
  }),
  findingOf('lodash-es', {
    ruleId: 'CVE-2020-8203',
    package: {
      purl: 'pkg:npm/lodash-es@4.17.15',
      name: 'lodash-es',
      version: '4.17.15',
      ecosystem: 'npm',
      fixedVersions: [],
    },
  }),
  findingOf('sast', {
    category: 'sast',
    ruleId: 'js/sql-injection',
    identifiers: ['CWE-89'],
    severity: 'critical',
    location: { path: 'src/db.ts', line: 3 },
  }),
  findingOf('suppressed', {
    ruleId: 'CVE-2021-23337',
    status: 'waived',
    statusReason: 'suppressed in source',
    package: lodash('4.17.19'),
  }),
];

/** An SCA and SAST scan of payments by alice, of the default findings unless given others. */
function scanWith(
  findings: NormalizedFinding[] = defaultFindings,
  overrides: Partial<NewScan> = {},
): NewScan {
  return scanOf({ categories: ['sca', 'sast'], findings, ...overrides });
}

describe.each(databases.eachSupportedId())(
  'WaiverService on %s',
  databaseId => {
    let now: Date;
    const clock = () => now;

    beforeEach(() => {
      now = start;
    });

    function advanceDays(days: number) {
      now = new Date(now.getTime() + days * DAY_MS);
    }

    function inDays(days: number) {
      return new Date(now.getTime() + days * DAY_MS).toISOString();
    }

    async function setup(
      options: { requireApproval?: boolean; maxDays?: number } = {},
    ) {
      const { knex, database, store } = await createTestStore(
        databases,
        databaseId,
        { clock },
      );
      const auditor = mockServices.auditor.mock();
      const auditEvent = { success: jest.fn(), fail: jest.fn() };
      auditor.createEvent.mockResolvedValue(auditEvent);
      const onFindingsChanged = jest.fn();
      const waivers = await WaiverService.create({
        database,
        clock,
        auditor,
        onFindingsChanged,
        config: new ConfigReader({
          securityScorecards: {
            waivers: {
              requireApproval: options.requireApproval ?? false,
              ...(options.maxDays ? { maxDays: options.maxDays } : {}),
            },
          },
        }),
      });
      await store.storeScan(scanWith());
      return { knex, store, waivers, auditor, auditEvent, onFindingsChanged };
    }

    async function findingsOf(
      store: DatabaseScorecardStore,
      entityRef = payments,
    ) {
      const { items } = await store.listFindings({
        entityRef,
        orderBy: 'ruleId',
        order: 'asc',
        limit: 100,
        offset: 0,
      });
      return items;
    }

    async function findingId(store: DatabaseScorecardStore, title: string) {
      const finding = (await findingsOf(store)).find(f => f.title === title);
      return finding!.id;
    }

    async function statusByTitle(store: DatabaseScorecardStore) {
      return Object.fromEntries(
        (await findingsOf(store)).map(finding => [
          finding.title,
          finding.status,
        ]),
      );
    }

    async function openCount(store: DatabaseScorecardStore) {
      const { totalCount } = await store.listFindings({
        entityRef: payments,
        statuses: ['open'],
        orderBy: 'ruleId',
        order: 'asc',
        limit: 1,
        offset: 0,
      });
      return totalCount;
    }

    async function waiverIdsOf(knex: Knex) {
      const rows = await knex('findings')
        .where('entity_ref', payments)
        .select('fingerprint', 'waiver_id');
      return Object.fromEntries(
        rows.map(row => [row.fingerprint, row.waiver_id ?? null]),
      );
    }

    it('waives one finding, which leaves the open findings and keeps its first seen time', async () => {
      const { store, waivers, auditor, auditEvent, onFindingsChanged } =
        await setup();
      const id = await findingId(store, 'Vulnerability sast');
      expect(await openCount(store)).toBe(4);
      advanceDays(3);

      const waiver = await waivers.createWaiver(
        {
          entityRef: 'component:payments',
          findingId: id,
          justification: '  Only reachable from the admin network.  ',
          expiresAt: inDays(30),
        },
        { ref: alice },
      );

      expect(waiver).toEqual({
        id: expect.any(String),
        entityRef: payments,
        scope: { findingId: id },
        justification: 'Only reachable from the admin network.',
        status: 'active',
        requestedBy: alice,
        requestedAt: now.toISOString(),
        expiresAt: inDays(30),
        findingCount: 1,
      });
      expect(await openCount(store)).toBe(3);
      const sast = (await findingsOf(store)).find(f => f.id === id)!;
      expect(sast).toMatchObject({
        status: 'waived',
        firstSeenAt: start.toISOString(),
      });
      // A waived finding has a due date, but no SLA state: its clock stands still.
      expect(sast.slaState).toBeUndefined();
      expect(onFindingsChanged).toHaveBeenCalledWith(payments);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'waiver-create' }),
      );
      expect(auditEvent.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          waiverId: waiver.id,
          entityRef: payments,
          status: 'active',
          findingsWaived: 1,
        }),
      });
    });

    it('waives every open finding of a rule, but not one its report suppressed', async () => {
      const { knex, store, waivers } = await setup();

      const waiver = await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'CVE-2021-23337',
          justification: 'Template compilation is never fed user input.',
          expiresAt: inDays(60),
        },
        { ref: alice },
      );

      expect(waiver.findingCount).toBe(2);
      expect(await statusByTitle(store)).toEqual({
        'Vulnerability lodash-old': 'waived',
        'Vulnerability lodash-older': 'waived',
        'Vulnerability lodash-es': 'open',
        'Vulnerability sast': 'open',
        'Vulnerability suppressed': 'waived',
      });
      expect(await waiverIdsOf(knex)).toEqual({
        'lodash-old': waiver.id,
        'lodash-older': waiver.id,
        'lodash-es': null,
        sast: null,
        suppressed: null,
      });
    });

    it('waives a package version, or every version of a package', async () => {
      const { store, waivers } = await setup();

      const oneVersion = await waivers.createWaiver(
        {
          entityRef: payments,
          purl: 'pkg:npm/lodash@4.17.15',
          justification: 'Build tooling only.',
          expiresAt: inDays(10),
        },
        { ref: alice },
      );
      expect(oneVersion.findingCount).toBe(1);
      expect((await statusByTitle(store))['Vulnerability lodash-older']).toBe(
        'waived',
      );
      expect((await statusByTitle(store))['Vulnerability lodash-old']).toBe(
        'open',
      );

      const everyVersion = await waivers.createWaiver(
        {
          entityRef: payments,
          purl: 'pkg:npm/lodash',
          justification: 'Replaced next sprint.',
          expiresAt: inDays(10),
        },
        { ref: alice },
      );
      // The one version already waived stays with the first waiver; lodash-es is another package.
      expect(everyVersion.findingCount).toBe(1);
      expect(await statusByTitle(store)).toMatchObject({
        'Vulnerability lodash-old': 'waived',
        'Vulnerability lodash-older': 'waived',
        'Vulnerability lodash-es': 'open',
      });
    });

    it.each([
      [
        'no justification',
        { justification: undefined },
        /justification is required/,
      ],
      [
        'a blank justification',
        { justification: '   ' },
        /justification must not be empty/,
      ],
      [
        'a justification over 4000 characters',
        { justification: 'x'.repeat(4001) },
        /justification must be at most 4000 characters/,
      ],
      ['no expiresAt', { expiresAt: undefined }, /expiresAt is required/],
      [
        'an expiresAt that is no time',
        { expiresAt: 'next week' },
        /expiresAt must be an ISO 8601 date/,
      ],
      [
        'an expiresAt in the past',
        { expiresAt: '2025-12-31T00:00:00Z' },
        /expiresAt must be in the future/,
      ],
      [
        'an expiresAt past maxDays',
        { expiresAt: '2026-04-02T00:00:00Z' },
        /expiresAt must be at most 90 days ahead \(securityScorecards.waivers.maxDays\), no later than 2026-04-01T00:00:00.000Z/,
      ],
      [
        'no scope',
        { ruleId: undefined },
        /Give exactly one of findingId, ruleId or purl; got none/,
      ],
      [
        'two scopes',
        { purl: 'pkg:npm/lodash' },
        /Give exactly one of findingId, ruleId or purl; got ruleId and purl/,
      ],
      [
        'a purl that is no package URL',
        { ruleId: undefined, purl: 'lodash' },
        /purl must be a package URL/,
      ],
      [
        'a purl of any version with qualifiers',
        { ruleId: undefined, purl: 'pkg:deb/debian/libc6?arch=amd64' },
        /takes no qualifiers or subpath/,
      ],
      [
        'a findingId that is no UUID',
        { ruleId: undefined, findingId: '42' },
        /findingId must be the id of a finding/,
      ],
      [
        'an entityRef without kind',
        { entityRef: 'payments' },
        /entityRef is not an entity reference/,
      ],
      [
        'an unknown vexJustification',
        { vexJustification: 'because' },
        /vexJustification must be one of code_not_present/,
      ],
      ['an unknown field', { approvedBy: bob }, /Unknown field approvedBy/],
    ])('refuses %s', async (_name, change, message) => {
      const { store, waivers, auditEvent } = await setup();
      const body: Record<string, unknown> = {
        entityRef: payments,
        ruleId: 'CVE-2021-23337',
        justification: 'Accepted.',
        expiresAt: inDays(30),
        ...change,
      };

      await expect(waivers.createWaiver(body, { ref: alice })).rejects.toThrow(
        message,
      );
      expect(await openCount(store)).toBe(4);
      expect(await waivers.listWaivers({ entityRef: payments })).toEqual([]);
      expect(auditEvent.fail).toHaveBeenCalled();
    });

    it('takes maxDays from the config', async () => {
      const { waivers } = await setup({ maxDays: 7 });
      const body = {
        entityRef: payments,
        ruleId: 'CVE-2021-23337',
        justification: 'Accepted.',
      };

      await expect(
        waivers.createWaiver({ ...body, expiresAt: inDays(8) }, { ref: alice }),
      ).rejects.toThrow(/at most 7 days ahead/);
      await expect(
        waivers.createWaiver({ ...body, expiresAt: inDays(7) }, { ref: alice }),
      ).resolves.toMatchObject({ status: 'active' });
    });

    it('refuses a finding of another entity as not found', async () => {
      const { store, waivers } = await setup();
      await store.storeScan(scanWith(defaultFindings, { entityRef: checkout }));
      const checkoutFinding = (await findingsOf(store, checkout))[0];

      await expect(
        waivers.createWaiver(
          {
            entityRef: payments,
            findingId: checkoutFinding.id,
            justification: 'Accepted.',
            expiresAt: inDays(30),
          },
          { ref: alice },
        ),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: `${payments} has no finding ${checkoutFinding.id}`,
      });
    });

    describe('with approval required', () => {
      async function requested() {
        const context = await setup({ requireApproval: true });
        const waiver = await context.waivers.createWaiver(
          {
            entityRef: payments,
            ruleId: 'CVE-2021-23337',
            justification: 'Template compilation is never fed user input.',
            expiresAt: inDays(30),
          },
          { ref: alice },
        );
        return { ...context, waiver };
      }

      it('keeps a waiver pending, and its findings open, until someone else approves it', async () => {
        const { store, waivers, waiver, onFindingsChanged } = await requested();
        expect(waiver).toMatchObject({ status: 'pending', findingCount: 0 });
        expect(await openCount(store)).toBe(4);
        expect(onFindingsChanged).not.toHaveBeenCalled();

        await expect(
          waivers.approve(waiver.id, { ref: alice, mayApprove: true }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringMatching(
            /The requester of waiver .* cannot approve it: someone else with security-scorecards.waiver.approve/,
          ),
        });
        await expect(
          waivers.approve(waiver.id, { ref: bob, mayApprove: false }),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: 'Not allowed: security-scorecards.waiver.approve',
        });
        expect(await openCount(store)).toBe(4);

        advanceDays(1);
        const approved = await waivers.approve(waiver.id, {
          ref: bob,
          mayApprove: true,
        });
        expect(approved).toMatchObject({
          status: 'active',
          approvedBy: bob,
          approvedAt: now.toISOString(),
          findingCount: 2,
        });
        expect(await openCount(store)).toBe(2);
        expect(onFindingsChanged).toHaveBeenCalledWith(payments);

        await expect(
          waivers.approve(waiver.id, { ref: bob, mayApprove: true }),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: `Waiver ${waiver.id} is active; only a pending waiver can be approved`,
        });
      });

      it('rejects a pending waiver, not by its requester', async () => {
        const { store, waivers, waiver } = await requested();

        await expect(
          waivers.reject(waiver.id, { ref: alice, mayApprove: true }),
        ).rejects.toThrow(/cannot reject it/);
        const rejected = await waivers.reject(
          waiver.id,
          { ref: bob, mayApprove: true },
          'Fix it instead.',
        );

        expect(rejected).toMatchObject({
          status: 'rejected',
          rejectedBy: bob,
          findingCount: 0,
        });
        expect(await openCount(store)).toBe(4);
        await expect(
          waivers.revoke(waiver.id, { ref: bob, mayApprove: true }),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        expect((await waivers.history(waiver.id)).map(e => e.action)).toEqual([
          'requested',
          'rejected',
        ]);
      });

      it('lets the requester withdraw a pending waiver, but not revoke an active one', async () => {
        const { waivers, waiver } = await requested();
        const withdrawn = await waivers.revoke(waiver.id, {
          ref: alice,
          mayApprove: false,
        });
        expect(withdrawn).toMatchObject({
          status: 'revoked',
          revokedBy: alice,
        });

        const second = await waivers.createWaiver(
          {
            entityRef: payments,
            purl: 'pkg:npm/lodash-es@4.17.15',
            justification: 'Accepted.',
            expiresAt: inDays(30),
          },
          { ref: alice },
        );
        await waivers.approve(second.id, { ref: bob, mayApprove: true });
        await expect(
          waivers.revoke(second.id, { ref: alice, mayApprove: false }),
        ).rejects.toThrow(
          /is active: revoking it needs security-scorecards.waiver.approve/,
        );
      });
    });

    it('keeps findings waived when a new scan reports them open, and waives new ones of the rule', async () => {
      const { knex, store, waivers } = await setup();
      const waiver = await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'CVE-2021-23337',
          justification: 'Accepted.',
          expiresAt: inDays(30),
        },
        { ref: alice },
      );
      advanceDays(1);

      const rescan = await store.storeScan(
        scanWith([
          ...defaultFindings,
          findingOf('lodash-new', {
            ruleId: 'CVE-2021-23337',
            package: lodash('4.17.10'),
          }),
        ]),
      );

      expect(rescan.findings).toMatchObject({ new: 1, unchanged: 5 });
      expect(await statusByTitle(store)).toMatchObject({
        'Vulnerability lodash-old': 'waived',
        'Vulnerability lodash-older': 'waived',
        'Vulnerability lodash-new': 'waived',
        'Vulnerability suppressed': 'waived',
      });
      expect((await waivers.getWaiver(waiver.id)).findingCount).toBe(3);
      const old = (await findingsOf(store)).find(
        f => f.title === 'Vulnerability lodash-old',
      )!;
      expect(old.firstSeenAt).toBe(start.toISOString());
      expect(old.waiverId).toBe(waiver.id);
      const suppressed = (await findingsOf(store)).find(
        f => f.title === 'Vulnerability suppressed',
      )!;
      expect(suppressed.waiverId).toBeUndefined();
      // The scan's open counts leave out what the waiver keeps waived.
      const [latestScan] = await store.listScans({
        entityRef: payments,
        limit: 1,
      });
      const stillOpen = (await findingsOf(store)).filter(
        f => f.status === 'open',
      );
      expect(stillOpen.length).toBeGreaterThan(0);
      expect(
        Object.values(latestScan.openFindings).reduce((a, b) => a + b, 0),
      ).toBe(stillOpen.length);
      expect(latestScan.openFindings.high).toBe(
        stillOpen.filter(f => f.severity === 'high').length,
      );

      // Fixed: no longer the waiver's. Back in a later scan: waived again.
      await store.storeScan(
        scanWith(defaultFindings.filter(f => f.fingerprint !== 'lodash-old')),
      );
      expect((await statusByTitle(store))['Vulnerability lodash-old']).toBe(
        'fixed',
      );
      expect((await waivers.getWaiver(waiver.id)).findingCount).toBe(1);
      await store.storeScan(scanWith());
      expect((await waiverIdsOf(knex))['lodash-old']).toBe(waiver.id);
    });

    it('opens the findings again at expiry with their original first seen time, past their SLA', async () => {
      const { store, waivers, onFindingsChanged, auditor } = await setup();
      advanceDays(20);
      const waiver = await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'CVE-2021-23337',
          justification: 'Accepted.',
          expiresAt: inDays(15),
        },
        { ref: alice },
      );
      onFindingsChanged.mockClear();
      const breached = () =>
        store.listFindings({
          entityRef: payments,
          slaStates: ['breached'],
          orderBy: 'ruleId',
          order: 'asc',
          limit: 100,
          offset: 0,
        });

      advanceDays(14);
      expect(await waivers.expireDue()).toBe(0);
      // Day 34: the other high findings are past their 30 days; the waived ones are not counted.
      expect((await breached()).items.map(f => f.title).sort()).toEqual([
        'Vulnerability lodash-es',
        'Vulnerability sast',
      ]);

      advanceDays(1);
      expect(await waivers.expireDue()).toBe(1);
      expect(await waivers.expireDue()).toBe(0);

      const reopened = (await breached()).items.map(f => f.title).sort();
      expect(reopened).toEqual([
        'Vulnerability lodash-es',
        'Vulnerability lodash-old',
        'Vulnerability lodash-older',
        'Vulnerability sast',
      ]);
      const old = (await findingsOf(store)).find(
        f => f.title === 'Vulnerability lodash-old',
      )!;
      expect(old).toMatchObject({
        status: 'open',
        firstSeenAt: start.toISOString(),
        slaState: 'breached',
      });
      // Suppressed by its report, not by the waiver: it stays waived.
      expect((await statusByTitle(store))['Vulnerability suppressed']).toBe(
        'waived',
      );
      expect(await waivers.getWaiver(waiver.id)).toMatchObject({
        status: 'expired',
        findingCount: 0,
      });
      expect(onFindingsChanged).toHaveBeenCalledWith(payments);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'waiver-expire' }),
      );
      expect((await waivers.history(waiver.id)).at(-1)).toEqual({
        waiverId: waiver.id,
        action: 'expired',
        actor: 'system',
        at: now.toISOString(),
        detail: { findingsReopened: 2, findingsWaivedByOtherWaivers: 0 },
      });
    });

    it('expires a waiver when it is read after its time', async () => {
      const { store, waivers } = await setup();
      await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'CVE-2021-23337',
          justification: 'Accepted.',
          expiresAt: inDays(1),
        },
        { ref: alice },
      );
      advanceDays(2);

      const [waiver] = await waivers.listWaivers({ entityRef: payments });

      expect(waiver.status).toBe('expired');
      expect(await openCount(store)).toBe(4);
      expect(
        await waivers.listWaivers({
          entityRef: payments,
          statuses: ['active'],
        }),
      ).toEqual([]);
    });

    it('expires each waiver once when two instances run the expiry together', async () => {
      const { knex, waivers } = await setup();
      const second = await WaiverService.create({
        database: { getClient: async () => knex, migrations: { skip: true } },
        clock,
      });
      const waiver = await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'CVE-2021-23337',
          justification: 'Accepted.',
          expiresAt: inDays(1),
        },
        { ref: alice },
      );
      advanceDays(2);

      const [first, other] = await Promise.all([
        waivers.expireDue(),
        second.expireDue(),
      ]);

      expect(first + other).toBe(1);
      expect(
        (await waivers.history(waiver.id)).filter(e => e.action === 'expired'),
      ).toHaveLength(1);
    });

    it('revokes a waiver: its findings open again, or stay waived by another waiver', async () => {
      const { store, waivers, onFindingsChanged } = await setup();
      const byRule = await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'CVE-2021-23337',
          justification: 'Accepted.',
          expiresAt: inDays(30),
        },
        { ref: alice },
      );
      const byPackage = await waivers.createWaiver(
        {
          entityRef: payments,
          purl: 'pkg:npm/lodash@4.17.20',
          justification: 'Accepted too.',
          expiresAt: inDays(60),
        },
        { ref: alice },
      );
      expect(byPackage.findingCount).toBe(0);
      onFindingsChanged.mockClear();

      advanceDays(1);
      const revoked = await waivers.revoke(byRule.id, {
        ref: bob,
        mayApprove: true,
      });

      expect(revoked).toMatchObject({
        status: 'revoked',
        revokedBy: bob,
        revokedAt: now.toISOString(),
        findingCount: 0,
      });
      expect(await statusByTitle(store)).toMatchObject({
        'Vulnerability lodash-old': 'waived',
        'Vulnerability lodash-older': 'open',
      });
      expect((await waivers.getWaiver(byPackage.id)).findingCount).toBe(1);
      expect(onFindingsChanged).toHaveBeenCalledWith(payments);
      await expect(
        waivers.revoke(byRule.id, { ref: bob, mayApprove: true }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(
        waivers.revoke('6a0a4d2e-0a8e-4f0e-9d3c-0c1a0a9c5e11', {
          ref: bob,
          mayApprove: true,
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('records every change in the history', async () => {
      const { waivers } = await setup({ requireApproval: true });
      const waiver = await waivers.createWaiver(
        {
          entityRef: payments,
          purl: 'pkg:npm/lodash',
          justification: 'Accepted.',
          expiresAt: inDays(30),
        },
        { ref: alice },
      );
      const requestedAt = now.toISOString();
      advanceDays(1);
      await waivers.approve(waiver.id, { ref: bob, mayApprove: true });
      const approvedAt = now.toISOString();
      advanceDays(1);
      await waivers.revoke(waiver.id, { ref: bob, mayApprove: true });

      const history: WaiverHistoryEntry[] = await waivers.history(waiver.id);
      expect(history).toEqual([
        {
          waiverId: waiver.id,
          action: 'requested',
          actor: alice,
          at: requestedAt,
          detail: {
            status: 'pending',
            scope: { purl: 'pkg:npm/lodash' },
            justification: 'Accepted.',
            expiresAt: new Date(start.getTime() + 30 * DAY_MS).toISOString(),
          },
        },
        {
          waiverId: waiver.id,
          action: 'approved',
          actor: bob,
          at: approvedAt,
          detail: { findingsWaived: 2 },
        },
        {
          waiverId: waiver.id,
          action: 'revoked',
          actor: bob,
          at: now.toISOString(),
          detail: { findingsReopened: 2, findingsWaivedByOtherWaivers: 0 },
        },
      ]);
    });

    it('exports active waivers as CycloneDX VEX that parseReport reads back', async () => {
      const { waivers } = await setup({ requireApproval: true });
      const accepted = await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'CVE-2021-23337',
          justification: 'Template compilation is never fed user input.',
          expiresAt: inDays(30),
        },
        { ref: alice },
      );
      await waivers.approve(accepted.id, { ref: bob, mayApprove: true });
      const notAffected = await waivers.createWaiver(
        {
          entityRef: payments,
          purl: 'pkg:npm/lodash-es@4.17.15',
          justification: 'The vulnerable function is tree-shaken away.',
          vexJustification: 'code_not_present',
          expiresAt: inDays(30),
        },
        { ref: alice },
      );
      await waivers.approve(notAffected.id, { ref: bob, mayApprove: true });
      await waivers.createWaiver(
        {
          entityRef: payments,
          ruleId: 'js/sql-injection',
          justification: 'Still pending, so not exported.',
          expiresAt: inDays(30),
        },
        { ref: alice },
      );

      const vex = await waivers.exportVex(payments);

      expect(vex).toMatchObject({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        serialNumber: expect.stringMatching(/^urn:uuid:[0-9a-f-]{36}$/),
        metadata: {
          component: { 'bom-ref': payments, name: 'payments' },
        },
      });
      expect(vex.vulnerabilities).toHaveLength(2);
      const vulnerabilityOf = (waiverId: string) =>
        vex.vulnerabilities.find(v =>
          v.properties.some(p => p.value === waiverId),
        )!;
      const riskAccepted = vulnerabilityOf(accepted.id);
      const codeNotPresent = vulnerabilityOf(notAffected.id);
      expect(riskAccepted).toMatchObject({
        id: 'CVE-2021-23337',
        cwes: [94],
        ratings: [
          {
            severity: 'high',
            score: 7.2,
            method: 'CVSSv31',
            vector: 'CVSS:3.1/AV:N/AC:L',
          },
        ],
        analysis: {
          state: 'exploitable',
          response: ['will_not_fix'],
          detail: expect.stringContaining(
            `Risk accepted until ${inDays(30)} (waiver ${
              accepted.id
            }, requested by ${alice}, approved by ${bob}): Template compilation is never fed user input.`,
          ),
        },
        affects: [
          { ref: 'pkg:npm/lodash@4.17.15' },
          { ref: 'pkg:npm/lodash@4.17.20' },
        ],
      });
      expect(riskAccepted.analysis.justification).toBeUndefined();
      expect(codeNotPresent).toMatchObject({
        id: 'CVE-2020-8203',
        analysis: {
          state: 'not_affected',
          justification: 'code_not_present',
          detail: expect.stringContaining(
            'The vulnerable function is tree-shaken away.',
          ),
        },
        affects: [{ ref: 'pkg:npm/lodash-es@4.17.15' }],
      });

      const parsed = parseReport(Buffer.from(JSON.stringify(vex)), {
        format: 'auto',
      });
      expect(parsed.format).toBe('cyclonedx');
      expect(parsed.scanner).toBe(VEX_TOOL_NAME);
      expect(parsed.dependencies.map(d => d.purl).sort()).toEqual([
        'pkg:npm/lodash-es@4.17.15',
        'pkg:npm/lodash@4.17.15',
        'pkg:npm/lodash@4.17.20',
      ]);
      expect(
        parsed.findings
          .map(f => ({
            ruleId: f.ruleId,
            purl: f.package?.purl,
            severity: f.severity,
            status: f.status,
            statusReason: f.statusReason,
          }))
          .sort((a, b) => a.purl!.localeCompare(b.purl!)),
      ).toEqual([
        {
          ruleId: 'CVE-2020-8203',
          purl: 'pkg:npm/lodash-es@4.17.15',
          severity: 'high',
          status: 'not_affected',
          statusReason: expect.stringMatching(
            /^code_not_present: Not affected until .*tree-shaken away\.$/,
          ),
        },
        // CycloneDX says a risk acceptance as "exploitable, will not fix".
        {
          ruleId: 'CVE-2021-23337',
          purl: 'pkg:npm/lodash@4.17.15',
          severity: 'high',
          status: 'open',
          statusReason: undefined,
        },
        {
          ruleId: 'CVE-2021-23337',
          purl: 'pkg:npm/lodash@4.17.20',
          severity: 'high',
          status: 'open',
          statusReason: undefined,
        },
      ]);
    });

    it('exports an empty VEX document for an entity without active waivers', async () => {
      const { waivers } = await setup();
      const vex = await waivers.exportVex(checkout);
      expect(vex.vulnerabilities).toEqual([]);
      expect(
        parseReport(Buffer.from(JSON.stringify(vex)), { format: 'auto' })
          .findings,
      ).toEqual([]);
    });
  },
);
