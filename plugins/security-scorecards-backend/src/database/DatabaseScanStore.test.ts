import { TestDatabaseId } from '@backstage/backend-test-utils';
import { emptySeverityCounts } from '@secdevops/plugin-security-scorecards-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseScanStore } from './DatabaseScanStore';
import { NewScan } from './ScanStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function scanOf(overrides: Partial<NewScan> = {}): NewScan {
  return {
    entityRef: 'component:default/payments',
    source: 'semgrep',
    format: 'sarif',
    scanner: 'Semgrep OSS',
    createdBy: 'user:default/alice',
    openFindings: { ...emptySeverityCounts(), high: 2, low: 1 },
    dependencyCount: 0,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseScanStore on %s',
  databaseId => {
    async function createStore(id: TestDatabaseId) {
      const knex = await databases.init(id);
      return DatabaseScanStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
    }

    it('records scans and lists those of one entity, newest first', async () => {
      const store = await createStore(databaseId);
      const first = await store.recordScan(
        scanOf({ commit: 'abc123', branch: 'main' }),
      );
      const second = await store.recordScan(
        scanOf({
          source: 'trivy',
          format: 'trivy',
          scanner: 'Trivy',
          scannerVersion: '0.50.1',
        }),
      );
      await store.recordScan(scanOf({ entityRef: 'component:default/other' }));

      const scans = await store.listScans({
        entityRef: 'component:default/payments',
        limit: 10,
      });

      expect(scans.map(scan => scan.id)).toEqual([second.id, first.id]);
      expect(scans[1]).toEqual({
        id: first.id,
        entityRef: 'component:default/payments',
        source: 'semgrep',
        format: 'sarif',
        scanner: 'Semgrep OSS',
        commit: 'abc123',
        branch: 'main',
        createdAt: first.createdAt,
        createdBy: 'user:default/alice',
        openFindings: { critical: 0, high: 2, medium: 0, low: 1, info: 0 },
        dependencyCount: 0,
      });
      expect(scans[0].scannerVersion).toBe('0.50.1');
      expect(Date.parse(scans[0].createdAt)).toBeGreaterThanOrEqual(
        Date.parse(first.createdAt),
      );
    });

    it('limits the number of scans listed', async () => {
      const store = await createStore(databaseId);
      for (let index = 0; index < 3; index += 1) {
        await store.recordScan(scanOf({ source: `source-${index}` }));
      }
      await expect(
        store.listScans({ entityRef: 'component:default/payments', limit: 2 }),
      ).resolves.toHaveLength(2);
    });

    it('answers a connection check', async () => {
      const store = await createStore(databaseId);
      await expect(store.checkConnection()).resolves.toBeUndefined();
    });
  },
);
