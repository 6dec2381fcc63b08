import { TestDatabaseId } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { NormalizedDependency } from '@secdevops/plugin-security-scorecards-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { findingOf, scanOf } from '../__testUtils__/scans';
import { createTestStore } from '../__testUtils__/stores';
import { DatabaseScorecardStore } from './DatabaseScorecardStore';
import { FindingQuery } from './ScorecardStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const payments = 'component:default/payments';

const lodash: NormalizedDependency = {
  purl: 'pkg:npm/lodash@4.17.20',
  name: 'lodash',
  version: '4.17.20',
  ecosystem: 'npm',
  licenses: ['MIT'],
  direct: true,
};
const express: NormalizedDependency = {
  purl: 'pkg:npm/express@4.18.2',
  name: 'express',
  version: '4.18.2',
  ecosystem: 'npm',
  licenses: ['MIT'],
  direct: false,
};

/** Lets the clock move on, so that scans stored one after the other have distinct times. */
function nextMillisecond() {
  return new Promise(resolve => setTimeout(resolve, 5));
}

describe.each(databases.eachSupportedId())(
  'DatabaseScorecardStore on %s',
  databaseId => {
    async function createStore(id: TestDatabaseId) {
      return (await createTestStore(databases, id)).store;
    }

    function allFindings(
      store: DatabaseScorecardStore,
      overrides: Partial<FindingQuery> = {},
    ) {
      return store.listFindings({
        entityRef: payments,
        orderBy: 'ruleId',
        order: 'asc',
        limit: 100,
        offset: 0,
        ...overrides,
      });
    }

    it('stores a first scan as new findings and records the scan', async () => {
      const store = await createStore(databaseId);

      const stored = await store.storeScan(
        scanOf({
          commit: 'abc123',
          branch: 'main',
          scannerVersion: '0.50.1',
          findings: [
            findingOf('1', {
              severity: 'critical',
              package: {
                purl: 'pkg:npm/lodash@4.17.20',
                name: 'lodash',
                version: '4.17.20',
                ecosystem: 'npm',
                fixedVersions: ['4.17.21'],
              },
              cvss: { version: '3.1', score: 9.8, vector: 'CVSS:3.1/AV:N' },
              epss: 0.42,
              knownExploited: true,
              references: ['https://nvd.nist.gov/vuln/detail/CVE-2024-1'],
            }),
            findingOf('2', {
              status: 'not_affected',
              statusReason: 'code not reachable',
            }),
            findingOf('3', {
              category: 'secret',
              severity: 'high',
              location: { path: 'config/.env', line: 3 },
              secret: { redacted: 'AKIA****', sha256: 'f'.repeat(64) },
            }),
          ],
          dependencies: [lodash, express],
        }),
      );

      expect(stored.findings).toEqual({
        total: 3,
        new: 3,
        reopened: 0,
        fixed: 0,
        unchanged: 0,
        suppressed: 1,
      });
      expect(stored.dependencies).toBe(2);

      const [scan] = await store.listScans({ entityRef: payments, limit: 10 });
      expect(scan).toMatchObject({
        id: stored.scanId,
        entityRef: payments,
        source: 'trivy',
        format: 'trivy',
        scanner: 'Trivy',
        scannerVersion: '0.50.1',
        commit: 'abc123',
        branch: 'main',
        createdBy: 'user:default/alice',
        findings: stored.findings,
        openFindings: { critical: 1, high: 1, medium: 0, low: 0, info: 0 },
        dependencyCount: 2,
      });

      const { items, totalCount } = await allFindings(store);
      expect(totalCount).toBe(3);
      expect(items[0]).toEqual({
        id: expect.any(String),
        entityRef: payments,
        source: 'trivy',
        severity: 'critical',
        category: 'sca',
        title: 'Vulnerability 1',
        ruleId: 'CVE-2024-1',
        status: 'open',
        scanner: 'Trivy',
        package: {
          purl: 'pkg:npm/lodash@4.17.20',
          name: 'lodash',
          version: '4.17.20',
          ecosystem: 'npm',
          fixedVersions: ['4.17.21'],
        },
        identifiers: ['CVE-2024-1'],
        cvss: { version: '3.1', score: 9.8, vector: 'CVSS:3.1/AV:N' },
        epss: 0.42,
        knownExploited: true,
        references: ['https://nvd.nist.gov/vuln/detail/CVE-2024-1'],
        firstSeenAt: scan.createdAt,
        lastSeenAt: scan.createdAt,
        // Known exploited and critical: due 7 days after it was first seen.
        dueAt: new Date(
          new Date(scan.createdAt).getTime() + 7 * 24 * 60 * 60 * 1000,
        ).toISOString(),
        slaState: 'due-soon',
      });
      expect(items[1]).toMatchObject({
        status: 'not_affected',
        statusReason: 'code not reachable',
      });
      expect(items[2]).toMatchObject({
        category: 'secret',
        location: { path: 'config/.env', line: 3 },
        secret: { redacted: 'AKIA****' },
      });
      expect(JSON.stringify(items)).not.toContain('f'.repeat(64));
    });

    it('replaces the previous scan of a source: fixed, reopened, unchanged', async () => {
      const store = await createStore(databaseId);
      await store.storeScan(
        scanOf({ findings: [findingOf('1'), findingOf('2'), findingOf('3')] }),
      );
      const [firstOne] = (await allFindings(store)).items;
      await nextMillisecond();

      const second = await store.storeScan(
        scanOf({
          findings: [findingOf('1', { severity: 'critical' }), findingOf('4')],
        }),
      );
      expect(second.findings).toEqual({
        total: 2,
        new: 1,
        reopened: 0,
        fixed: 2,
        unchanged: 1,
        suppressed: 0,
      });

      const afterSecond = await allFindings(store);
      expect(
        afterSecond.items.map(finding => [finding.ruleId, finding.status]),
      ).toEqual([
        ['CVE-2024-1', 'open'],
        ['CVE-2024-2', 'fixed'],
        ['CVE-2024-3', 'fixed'],
        ['CVE-2024-4', 'open'],
      ]);
      const stillOpen = afterSecond.items[0];
      expect(stillOpen.id).toBe(firstOne.id);
      expect(stillOpen.severity).toBe('critical');
      expect(stillOpen.firstSeenAt).toBe(firstOne.firstSeenAt);
      expect(Date.parse(stillOpen.lastSeenAt)).toBeGreaterThan(
        Date.parse(firstOne.lastSeenAt),
      );
      const fixedAt = afterSecond.items[1].fixedAt;
      expect(fixedAt).toBeDefined();
      await nextMillisecond();

      const third = await store.storeScan(
        scanOf({ findings: [findingOf('1'), findingOf('2'), findingOf('4')] }),
      );
      expect(third.findings).toEqual({
        total: 3,
        new: 0,
        reopened: 1,
        fixed: 0,
        unchanged: 2,
        suppressed: 0,
      });
      const reopened = (await allFindings(store)).items[1];
      expect(reopened).toMatchObject({ ruleId: 'CVE-2024-2', status: 'open' });
      expect(reopened.fixedAt).toBeUndefined();
      expect(reopened.firstSeenAt).toBe(firstOne.firstSeenAt);
    });

    it('changes nothing when the same report is stored twice', async () => {
      const store = await createStore(databaseId);
      const report = scanOf({
        findings: [findingOf('1'), findingOf('2', { status: 'fixed' })],
        dependencies: [lodash],
      });
      await store.storeScan(report);
      const before = await allFindings(store);

      const again = await store.storeScan(report);

      expect(again.findings).toEqual({
        total: 2,
        new: 0,
        reopened: 0,
        fixed: 0,
        unchanged: 2,
        suppressed: 0,
      });
      const after = await allFindings(store);
      expect(after.totalCount).toBe(2);
      expect(
        after.items.map(({ lastSeenAt: _lastSeen, ...rest }) => rest),
      ).toEqual(before.items.map(({ lastSeenAt: _lastSeen, ...rest }) => rest));
    });

    it('keeps sources and entities apart', async () => {
      const store = await createStore(databaseId);
      await store.storeScan(scanOf({ findings: [findingOf('1')] }));
      await store.storeScan(
        scanOf({
          source: 'semgrep',
          scanner: 'Semgrep',
          format: 'sarif',
          findings: [findingOf('1', { category: 'sast' })],
        }),
      );
      await store.storeScan(
        scanOf({ entityRef: 'component:default/other', findings: [] }),
      );

      const { items } = await allFindings(store);
      expect(
        items.map(finding => [finding.source, finding.status]).sort(),
      ).toEqual([
        ['semgrep', 'open'],
        ['trivy', 'open'],
      ]);
    });

    it('stores scans larger than one bulk statement', async () => {
      const store = await createStore(databaseId);
      const findings = Array.from({ length: 12_345 }, (_, index) =>
        findingOf(`bulk${index}`, { severity: index % 2 ? 'low' : 'high' }),
      );
      const dependencies = Array.from({ length: 6_000 }, (_, index) => ({
        purl: `pkg:npm/bulk-${index}@1.0.0`,
        name: `bulk-${index}`,
        version: '1.0.0',
        licenses: [],
      }));

      const stored = await store.storeScan(scanOf({ findings, dependencies }));
      expect(stored.findings.new).toBe(12_345);

      const again = await store.storeScan(
        scanOf({ findings: findings.slice(0, 10_000), dependencies }),
      );
      expect(again.findings).toEqual({
        total: 10_000,
        new: 0,
        reopened: 0,
        fixed: 2_345,
        unchanged: 10_000,
        suppressed: 0,
      });
      expect(
        (await allFindings(store, { statuses: ['open'], limit: 1 })).totalCount,
      ).toBe(10_000);
      expect(
        (await allFindings(store, { statuses: ['fixed'], limit: 1 }))
          .totalCount,
      ).toBe(2_345);
      const [scan] = await store.listScans({ entityRef: payments, limit: 1 });
      expect(scan.openFindings).toEqual({
        critical: 0,
        high: 5_000,
        medium: 0,
        low: 5_000,
        info: 0,
      });
      expect(
        (
          await store.listDependencies({
            entityRef: payments,
            limit: 1,
            offset: 0,
          })
        ).totalCount,
      ).toBe(6_000);
    });

    it('leaves the store as it was when storing fails half-way', async () => {
      const store = await createStore(databaseId);
      await store.storeScan(
        scanOf({ findings: [findingOf('kept')], dependencies: [lodash] }),
      );

      const findings = Array.from({ length: 12_000 }, (_, index) =>
        findingOf(`n${index}`),
      );
      findings[11_000] = findingOf('broken', {
        title: null as unknown as string,
      });
      await expect(
        store.storeScan(scanOf({ findings, dependencies: [express] })),
      ).rejects.toThrow();

      const { items, totalCount } = await allFindings(store);
      expect(totalCount).toBe(1);
      expect(items[0]).toMatchObject({
        ruleId: 'CVE-2024-kept',
        status: 'open',
      });
      expect(
        await store.listScans({ entityRef: payments, limit: 10 }),
      ).toHaveLength(1);
      const dependencies = await store.listDependencies({
        entityRef: payments,
        limit: 10,
        offset: 0,
      });
      expect(dependencies.items.map(dependency => dependency.name)).toEqual([
        'lodash',
      ]);
    });

    it('leaves the store as it was when a first scan fails half-way while being read', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      // A first scan of a source is written as it is read (COPY on PostgreSQL).
      function* findingsFailingAt(failAt: number) {
        for (let index = 0; index < 5_000; index++) {
          if (index === failAt) {
            throw new InputError(
              `Invalid sarif report at runs[0].results[${index}]`,
            );
          }
          yield findingOf(`stream${index}`);
        }
      }
      await expect(
        store.storeScan(
          scanOf({
            findings: findingsFailingAt(2_500),
            dependencies: [lodash],
          }),
        ),
      ).rejects.toThrow('Invalid sarif report at runs[0].results[2500]');
      // A database error in the middle of the rows fails the same way.
      const withBrokenRow = Array.from({ length: 3_000 }, (_, index) =>
        findingOf(
          `row${index}`,
          index === 2_100 ? { title: null as unknown as string } : {},
        ),
      );
      await expect(
        store.storeScan(scanOf({ findings: withBrokenRow })),
      ).rejects.toThrow();

      expect((await allFindings(store)).totalCount).toBe(0);
      expect(await store.listScans({ entityRef: payments, limit: 10 })).toEqual(
        [],
      );
      expect(
        Number((await knex('dependencies').count({ count: '*' }))[0].count),
      ).toBe(0);

      // The connection is usable again: the same scan, read in full, is stored.
      const stored = await store.storeScan(
        scanOf({ findings: findingsFailingAt(-1), dependencies: [lodash] }),
      );
      expect(stored.findings).toEqual({
        total: 5_000,
        new: 5_000,
        reopened: 0,
        fixed: 0,
        unchanged: 0,
        suppressed: 0,
      });
      expect((await allFindings(store, { limit: 1 })).totalCount).toBe(5_000);
    });

    it('reads findings once, counting a repeated fingerprint once, and records their categories', async () => {
      const { knex, store } = await createTestStore(databases, databaseId);
      let passes = 0;
      function* findings() {
        passes += 1;
        yield findingOf('same', { title: 'First of the two' });
        yield findingOf('secret', { category: 'secret' });
        yield findingOf('same', { title: 'Second of the two' });
      }
      const dependencies = {
        *[Symbol.iterator]() {
          yield lodash;
          yield express;
          yield lodash;
        },
      };

      const stored = await store.storeScan(
        scanOf({ findings: findings(), dependencies, categories: ['sca'] }),
      );
      expect(passes).toBe(1);
      expect(stored.findings.total).toBe(2);
      expect(stored.dependencies).toBe(2);
      const { items } = await allFindings(store);
      expect(items.map(item => item.title).sort()).toEqual([
        'First of the two',
        'Vulnerability secret',
      ]);
      const [row] = await knex('scans').select('categories');
      expect(row.categories).toBe(',sca,secret,');

      // The same findings again change nothing; the dependencies are not rewritten.
      const again = await store.storeScan(
        scanOf({ findings: findings(), dependencies, categories: ['sca'] }),
      );
      expect(again.findings).toEqual({
        total: 2,
        new: 0,
        reopened: 0,
        fixed: 0,
        unchanged: 2,
        suppressed: 0,
      });
      const [latest] = await store.listScans({ entityRef: payments, limit: 1 });
      expect(latest.dependencyCount).toBe(2);
    });

    it('stores text with tabs, newlines, backslashes and \\N as it was sent', async () => {
      const store = await createStore(databaseId);
      const awkward =
        'a\tb\nc\r\nd \\ e \\N f \\t "g" \u00e9\u4e2d\ud83d\ude00';
      await store.storeScan(
        scanOf({
          findings: [
            findingOf('awkward', {
              title: awkward,
              description: `${awkward}\n\n${awkward}`,
              location: { path: 'C:\\src\\new\\t.ts', line: 3 },
            }),
          ],
          dependencies: [
            { name: awkward, version: '\\N', licenses: [awkward] },
          ],
        }),
      );

      const [finding] = (await allFindings(store)).items;
      expect(finding.title).toBe(awkward);
      expect(finding.description).toBe(`${awkward}\n\n${awkward}`);
      expect(finding.location).toEqual({
        path: 'C:\\src\\new\\t.ts',
        line: 3,
      });
      const [dependency] = (
        await store.listDependencies({
          entityRef: payments,
          limit: 10,
          offset: 0,
        })
      ).items;
      expect(dependency).toMatchObject({
        name: awkward,
        version: '\\N',
        licenses: [awkward],
      });
    });

    it('stores concurrent scans of one source one after the other', async () => {
      const store = await createStore(databaseId);
      const first = ['a1', 'a2', 'a3'].map(id => findingOf(id));
      const second = ['b1', 'b2'].map(id => findingOf(id));

      for (let round = 0; round < 5; round += 1) {
        await Promise.all([
          store.storeScan(scanOf({ findings: first })),
          store.storeScan(scanOf({ findings: second })),
        ]);
        const [latest] = await store.listScans({
          entityRef: payments,
          limit: 1,
        });
        const open = await allFindings(store, { statuses: ['open'] });
        // Whichever scan came last, exactly its findings are open.
        expect(open.totalCount).toBe(latest.findings.total);
        expect(latest.findings.total === 3 || latest.findings.total === 2).toBe(
          true,
        );
      }
    });

    it('filters, searches, sorts and pages findings', async () => {
      const store = await createStore(databaseId);
      await store.storeScan(
        scanOf({
          findings: [
            findingOf('1', {
              severity: 'low',
              title: 'Prototype pollution in lodash',
            }),
            findingOf('2', {
              severity: 'critical',
              title: 'Remote code execution',
            }),
            findingOf('3', {
              severity: 'medium',
              category: 'container',
              title: '100% CPU',
            }),
            findingOf('4', { severity: 'high', status: 'false_positive' }),
          ],
        }),
      );

      const bySeverity = await allFindings(store, {
        orderBy: 'severity',
        order: 'desc',
      });
      expect(bySeverity.items.map(finding => finding.severity)).toEqual([
        'critical',
        'high',
        'medium',
        'low',
      ]);
      const leastSevereFirst = await allFindings(store, {
        orderBy: 'severity',
        order: 'asc',
      });
      expect(leastSevereFirst.items[0].severity).toBe('low');

      const open = await allFindings(store, {
        statuses: ['open'],
        severities: ['critical', 'low'],
      });
      expect(open.items.map(finding => finding.ruleId)).toEqual([
        'CVE-2024-1',
        'CVE-2024-2',
      ]);
      const containers = await allFindings(store, {
        categories: ['container'],
      });
      expect(containers.items.map(finding => finding.ruleId)).toEqual([
        'CVE-2024-3',
      ]);
      expect(
        (await allFindings(store, { scanners: ['Grype'] })).totalCount,
      ).toBe(0);

      expect(
        (await allFindings(store, { text: 'LODASH' })).items.map(
          finding => finding.ruleId,
        ),
      ).toEqual(['CVE-2024-1']);
      expect(
        (await allFindings(store, { text: '100%' })).items.map(
          finding => finding.ruleId,
        ),
      ).toEqual(['CVE-2024-3']);
      expect((await allFindings(store, { text: '_' })).totalCount).toBe(0);

      const page = await allFindings(store, {
        orderBy: 'severity',
        order: 'desc',
        limit: 2,
        offset: 1,
      });
      expect(page.totalCount).toBe(4);
      expect(page.items.map(finding => finding.severity)).toEqual([
        'high',
        'medium',
      ]);
    });

    it('lists dependencies vulnerable first, once per package across sources', async () => {
      const store = await createStore(databaseId);
      const axios: NormalizedDependency = {
        purl: 'pkg:npm/axios@1.6.0',
        name: 'axios',
        version: '1.6.0',
        licenses: ['MIT'],
      };
      await store.storeScan(
        scanOf({
          source: 'sbom',
          format: 'cyclonedx',
          scanner: 'cdxgen',
          dependencies: [lodash, express, axios],
        }),
      );
      await store.storeScan(
        scanOf({
          findings: [
            findingOf('1', {
              severity: 'medium',
              package: {
                name: 'express',
                version: '4.18.2',
                fixedVersions: [],
              },
            }),
            findingOf('2', {
              severity: 'critical',
              package: {
                name: 'lodash',
                version: '4.17.20',
                fixedVersions: ['4.17.21'],
              },
            }),
            findingOf('3', {
              severity: 'high',
              status: 'fixed',
              package: { name: 'axios', version: '1.6.0', fixedVersions: [] },
            }),
          ],
          dependencies: [lodash],
        }),
      );

      const all = await store.listDependencies({
        entityRef: payments,
        limit: 10,
        offset: 0,
      });
      expect(all.totalCount).toBe(3);
      expect(
        all.items.map(dependency => [dependency.name, dependency.vulnerable]),
      ).toEqual([
        ['lodash', true],
        ['express', true],
        ['axios', false],
      ]);
      expect(all.items[0]).toEqual({
        entityRef: payments,
        source: 'sbom',
        purl: 'pkg:npm/lodash@4.17.20',
        name: 'lodash',
        version: '4.17.20',
        ecosystem: 'npm',
        licenses: ['MIT'],
        direct: true,
        vulnerable: true,
        openFindings: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
      });
      expect(all.items[2].direct).toBeUndefined();

      const vulnerable = await store.listDependencies({
        entityRef: payments,
        vulnerable: true,
        limit: 10,
        offset: 0,
      });
      expect(vulnerable.items.map(dependency => dependency.name)).toEqual([
        'lodash',
        'express',
      ]);
      const safe = await store.listDependencies({
        entityRef: payments,
        vulnerable: false,
        limit: 10,
        offset: 0,
      });
      expect(safe.items.map(dependency => dependency.name)).toEqual(['axios']);
      const searched = await store.listDependencies({
        entityRef: payments,
        text: 'EXPR',
        limit: 10,
        offset: 0,
      });
      expect(searched.items.map(dependency => dependency.name)).toEqual([
        'express',
      ]);
      const paged = await store.listDependencies({
        entityRef: payments,
        limit: 1,
        offset: 1,
      });
      expect(paged).toMatchObject({
        totalCount: 3,
        items: [{ name: 'express' }],
      });
    });

    it('finds the entities that use a package, by purl with or without version', async () => {
      const store = await createStore(databaseId);
      const olderLodash: NormalizedDependency = {
        ...lodash,
        purl: 'pkg:npm/lodash@4.17.15',
        version: '4.17.15',
        direct: undefined,
      };
      await store.storeScan(
        scanOf({
          source: 'sbom',
          dependencies: [lodash],
          findings: [
            findingOf('1', {
              package: {
                name: 'lodash',
                version: '4.17.20',
                fixedVersions: [],
              },
            }),
          ],
        }),
      );
      await store.storeScan(
        scanOf({
          entityRef: 'component:default/checkout',
          source: 'sbom',
          dependencies: [olderLodash, express],
        }),
      );

      expect(await store.findDependencyUsage('pkg:npm/lodash')).toEqual([
        {
          entityRef: 'component:default/checkout',
          name: 'lodash',
          purl: 'pkg:npm/lodash@4.17.15',
          version: '4.17.15',
          vulnerable: false,
        },
        {
          entityRef: payments,
          name: 'lodash',
          purl: 'pkg:npm/lodash@4.17.20',
          version: '4.17.20',
          direct: true,
          vulnerable: true,
        },
      ]);
      expect(
        (await store.findDependencyUsage('pkg:npm/lodash@4.17.15')).map(
          usage => usage.entityRef,
        ),
      ).toEqual(['component:default/checkout']);
      expect(await store.findDependencyUsage('pkg:npm/left-pad')).toEqual([]);
    });

    it('marks findings their report suppresses, and clears the mark when they are fixed', async () => {
      const store = await createStore(databaseId);
      // A first scan is copied in (COPY on PostgreSQL), a second upserted.
      const first = await store.storeScan(
        scanOf({
          findings: [
            findingOf('open'),
            findingOf('vex', { status: 'not_affected' }),
            findingOf('ignored', { status: 'waived' }),
            findingOf('gone', { status: 'fixed' }),
          ],
        }),
      );
      expect(first.findings).toMatchObject({ total: 4, suppressed: 2 });
      const suppressedRules = async () =>
        (await allFindings(store, { suppressedInReport: true })).items.map(
          finding => `${finding.ruleId} ${finding.status}`,
        );
      expect(await suppressedRules()).toEqual([
        'CVE-2024-ignored waived',
        'CVE-2024-vex not_affected',
      ]);
      expect(
        (await allFindings(store, { suppressedInReport: false })).items.map(
          finding => finding.ruleId,
        ),
      ).toEqual(['CVE-2024-gone', 'CVE-2024-open']);
      // What a gate with includeReportSuppressed asks for.
      expect(
        (
          await allFindings(store, {
            statuses: ['open'],
            orSuppressedInReport: true,
          })
        ).totalCount,
      ).toBe(3);

      await nextMillisecond();
      const second = await store.storeScan(
        scanOf({
          findings: [
            findingOf('open', { status: 'false_positive' }),
            findingOf('vex', { status: 'not_affected' }),
          ],
        }),
      );
      expect(second.findings).toMatchObject({
        total: 2,
        suppressed: 2,
        fixed: 1,
      });
      expect(await suppressedRules()).toEqual([
        'CVE-2024-open false_positive',
        'CVE-2024-vex not_affected',
      ]);
      const ignored = (await allFindings(store)).items.find(
        finding => finding.ruleId === 'CVE-2024-ignored',
      );
      expect(ignored?.status).toBe('fixed');
      expect(ignored?.suppressedInReport).toBeUndefined();
      const [scan] = await store.listScans({ entityRef: payments, limit: 1 });
      expect(scan.findings.suppressed).toBe(2);
    });

    it('records a failed scan in the history without touching findings', async () => {
      const store = await createStore(databaseId);
      await store.storeScan(scanOf({ findings: [findingOf('1')] }));
      await nextMillisecond();

      const failedId = await store.storeFailedScan({
        entityRef: payments,
        source: 'trivy',
        format: 'sarif',
        scanner: 'Trivy',
        createdBy: 'user:default/alice',
        error: `Out of memory${'!'.repeat(5000)}`,
      });

      const [failed, succeeded] = await store.listScans({
        entityRef: payments,
        limit: 10,
      });
      expect(failed).toMatchObject({
        id: failedId,
        status: 'failed',
        findings: { total: 0, new: 0, fixed: 0, suppressed: 0 },
      });
      expect(failed.error).toMatch(/^Out of memory!+$/);
      expect(failed.error!.length).toBe(2000);
      expect(succeeded.status).toBe('succeeded');
      expect(succeeded.error).toBeUndefined();
      const [finding] = (await allFindings(store)).items;
      expect(finding.status).toBe('open');
      // Last seen by the scan that ran, not by the one that failed.
      expect(finding.lastSeenAt).toBe(succeeded.createdAt);

      // The next scan replaces the one that ran: the finding it saw last.
      await nextMillisecond();
      const next = await store.storeScan(scanOf({ findings: [] }));
      expect(next.findings).toMatchObject({ fixed: 1 });
      const [fixed] = (await allFindings(store)).items;
      expect(fixed.lastSeenAt).toBe(succeeded.createdAt);
    });

    it('lists scans newest first, limited', async () => {
      const store = await createStore(databaseId);
      const first = await store.storeScan(scanOf());
      await nextMillisecond();
      const second = await store.storeScan(scanOf({ source: 'semgrep' }));
      await store.storeScan(scanOf({ entityRef: 'component:default/other' }));

      const scans = await store.listScans({ entityRef: payments, limit: 10 });
      expect(scans.map(scan => scan.id)).toEqual([second.scanId, first.scanId]);
      expect(
        await store.listScans({ entityRef: payments, limit: 1 }),
      ).toHaveLength(1);
    });

    it('computes due dates and filters on SLA state', async () => {
      const day = 24 * 60 * 60 * 1000;
      const start = new Date('2026-10-01T00:00:00.000Z');
      let now = start;
      const { store } = await createTestStore(databases, databaseId, {
        clock: () => now,
      });
      await store.storeScan(
        scanOf({
          findings: [
            findingOf('high', { severity: 'high' }),
            findingOf('medium', { severity: 'medium' }),
            findingOf('exploited-low', {
              severity: 'low',
              knownExploited: true,
            }),
            findingOf('info', { severity: 'info' }),
          ],
        }),
      );
      // 25 days later: high (30 days) is due soon, the known-exploited low
      // finding runs on the critical clock (7 days) and is breached, medium
      // (90 days) is within, info has no SLA.
      now = new Date(start.getTime() + 25 * day);
      const states = async (
        slaStates?: Array<'within' | 'due-soon' | 'breached'>,
      ) =>
        (await allFindings(store, { slaStates })).items
          .map(item => `${item.ruleId.slice(9)}:${item.slaState ?? '-'}`)
          .sort();
      expect(await states()).toEqual([
        'exploited-low:breached',
        'high:due-soon',
        'info:-',
        'medium:within',
      ]);
      expect(await states(['breached'])).toEqual(['exploited-low:breached']);
      expect(await states(['due-soon', 'within'])).toEqual([
        'high:due-soon',
        'medium:within',
      ]);
      const { items } = await allFindings(store, { severities: ['high'] });
      expect(items[0].dueAt).toBe(
        new Date(start.getTime() + 30 * day).toISOString(),
      );
    });

    it('answers a connection check', async () => {
      const store = await createStore(databaseId);
      await expect(store.checkConnection()).resolves.toBeUndefined();
    });
  },
);
