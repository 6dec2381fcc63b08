import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

/** Every store and migration test runs on each of these. */
const testDatabaseIds: TestDatabaseId[] = ['POSTGRES_15', 'SQLITE_3'];

/**
 * The databases every store and migration test runs on.
 *
 * PostgreSQL comes from `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`
 * (set by `npm test`); without it, and without Docker, TestDatabases quietly
 * drops PostgreSQL, which is fine on a laptop but must never pass unnoticed in CI.
 */
export function createTestDatabases(): TestDatabases {
  const postgresConfigured =
    !!process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ||
    process.env.BACKSTAGE_TEST_DISABLE_DOCKER !== '1';
  if (process.env.CI && !postgresConfigured) {
    throw new Error(
      'CI runs the database tests on PostgreSQL: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
    );
  }
  return TestDatabases.create({ ids: testDatabaseIds });
}

/** A database service over a test database's client that runs the plugin's migrations. */
export function testDatabaseService(knex: Knex): DatabaseService {
  return { getClient: async () => knex, migrations: { skip: false } };
}
