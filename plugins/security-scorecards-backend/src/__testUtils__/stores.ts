import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseScorecardStore } from '../database/DatabaseScorecardStore';
import { SlaPolicy } from '../sla/SlaPolicy';
import { testDatabaseService } from './databases';

/** A migrated store on a fresh test database (or on `knex`, when given), with the client and database service under it. */
export async function createTestStore(
  databases: TestDatabases,
  id: TestDatabaseId,
  options: { knex?: Knex; sla?: SlaPolicy; clock?: () => Date } = {},
) {
  const knex = options.knex ?? (await databases.init(id));
  const database = testDatabaseService(knex);
  const store = await DatabaseScorecardStore.create({
    database,
    sla: options.sla,
    clock: options.clock,
  });
  return { knex, database, store };
}
