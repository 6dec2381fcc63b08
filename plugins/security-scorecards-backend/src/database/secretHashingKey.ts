import { DatabaseService } from '@backstage/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import { migratedDatabaseClient } from './sql';

/** The `plugin_keys` row of the key that secret hashes are made with. */
const SECRET_HASH_KEY_NAME = 'secret-hash';
const KEY_BYTES = 32;

/**
 * The key the plugin hashes detected secrets with (see `createSecretHasher`),
 * kept in its database so that every instance, and every restart, hashes a
 * secret alike. The first instance to start makes it at random; instances
 * starting at once each offer one, and all read back the one stored first.
 *
 * Findings stored before the key existed keep their plain SHA-256: their
 * fingerprints change once, so a secret still in the code shows as a new
 * finding on the next scan of its source and the old one is fixed.
 *
 * @internal
 */
export async function readSecretHashingKey(
  database: DatabaseService,
): Promise<Buffer> {
  const db = await migratedDatabaseClient(database);
  await db('plugin_keys')
    .insert({
      name: SECRET_HASH_KEY_NAME,
      key: randomBytes(KEY_BYTES).toString('base64'),
      created_at: new Date(),
    })
    .onConflict('name')
    .ignore();
  const row: { key: string } | undefined = await db('plugin_keys')
    .where('name', SECRET_HASH_KEY_NAME)
    .first('key');
  const key = row ? Buffer.from(row.key, 'base64') : undefined;
  if (!key || key.length < KEY_BYTES) {
    throw new Error(
      `The security scorecards secret hashing key in plugin_keys is missing or shorter than ${KEY_BYTES} bytes`,
    );
  }
  return key;
}
