import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createSecretHasher } from '@secdevops/plugin-security-scorecards-node';
import { createHash, createHmac } from 'node:crypto';
import { serviceComponent } from '../__testUtils__/catalog';
import { createTestDatabases } from '../__testUtils__/databases';
import { createTestStore } from '../__testUtils__/stores';
import { EntityLookup } from '../catalog/EntityLookup';
import { readSecretHashingKey } from '../database/secretHashingKey';
import { ScanIngestionService } from './ScanIngestionService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const entityRef = 'component:default/payments';
const secret = 'hunter2-short';

/** A gitleaks report with one leak of {@link secret}. */
const gitleaksReport = Buffer.from(
  JSON.stringify([
    {
      Description: 'Generic password',
      StartLine: 4,
      EndLine: 4,
      StartColumn: 12,
      EndColumn: 24,
      Match: `password = "${secret}"`,
      Secret: secret,
      File: 'config/settings.py',
      Commit: '',
      Entropy: 2.5,
      Tags: [],
      RuleID: 'generic-password',
    },
  ]),
);

describe.each(databases.eachSupportedId())(
  'secret hashes on %s',
  databaseId => {
    it('are keyed with a key the database keeps across restarts', async () => {
      const { knex, database, store } = await createTestStore(
        databases,
        databaseId,
      );
      const entities = new EntityLookup(
        catalogServiceMock({
          entities: [serviceComponent('payments', 'team-payments')],
        }),
        mockServices.auth(),
      );
      // Each "start" reads the key again, as plugin.ts does.
      const start = async () =>
        new ScanIngestionService({
          store,
          entities,
          maxBodyBytes: 1024 * 1024,
          hashSecret: createSecretHasher(await readSecretHashingKey(database)),
        });
      const upload = (service: ScanIngestionService) =>
        service.ingest({
          entityRef,
          body: gitleaksReport,
          format: 'gitleaks',
          credentials: mockCredentials.user(),
        });

      const first = await upload(await start());
      expect(first.findings).toMatchObject({ total: 1, new: 1 });
      const [stored] = await knex('findings').select(
        'id',
        'secret_sha256',
        'secret_redacted',
      );
      const key = await readSecretHashingKey(database);
      expect(stored.secret_sha256).not.toBe(
        createHash('sha256').update(secret).digest('hex'),
      );
      expect(stored.secret_sha256).toBe(
        createHmac('sha256', key).update(secret).digest('hex'),
      );
      expect(stored.secret_redacted).not.toContain(secret);

      // After a restart on the same database: the same finding, updated.
      const second = await upload(await start());
      expect(second.findings).toMatchObject({ total: 1, new: 0, unchanged: 1 });
      const rows = await knex('findings').select('id', 'secret_sha256');
      expect(rows).toEqual([
        { id: stored.id, secret_sha256: stored.secret_sha256 },
      ]);
    });

    it('use one key, whichever instance starts first', async () => {
      const { knex, database } = await createTestStore(databases, databaseId);

      const keys = await Promise.all(
        Array.from({ length: 4 }, () => readSecretHashingKey(database)),
      );

      expect(keys[0]).toHaveLength(32);
      for (const key of keys) expect(key.equals(keys[0])).toBe(true);
      const [{ count }] = await knex('plugin_keys').count({ count: '*' });
      expect(Number(count)).toBe(1);
    });
  },
);
