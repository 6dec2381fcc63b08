import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

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
