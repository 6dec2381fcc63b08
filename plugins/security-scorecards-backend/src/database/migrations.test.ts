import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const migrationsDirectory = resolvePackagePath(
  '@secdevops/plugin-security-scorecards-backend',
  'migrations',
);
const migrationFiles = fs
  .readdirSync(migrationsDirectory)
  .filter(name => name.endsWith('.js'))
  .sort();

const databases = createTestDatabases();

async function migrateUpOne(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDirectory });
}

async function migrateDownOne(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDirectory });
}

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('steps up and down one file at a time', async () => {
    const knex = await databases.init(databaseId);

    for (const file of migrationFiles) {
      await migrateUpOne(knex);
      const [, pending] = await knex.migrate.list({
        directory: migrationsDirectory,
      });
      expect(
        pending.map((migration: { file: string }) => migration.file),
      ).not.toContain(file);
    }
    expect(await knex.schema.hasTable('scans')).toBe(true);
    expect(await knex.schema.hasTable('findings')).toBe(true);
    expect(await knex.schema.hasTable('dependencies')).toBe(true);

    await knex('scans').insert({
      id: '6a0a4d2e-0a8e-4f0e-9d3c-0c1a0a9c5e11',
      entity_ref: 'component:default/payments',
      source: 'semgrep',
      format: 'sarif',
      scanner: 'Semgrep OSS',
      created_by: 'user:default/alice',
      created_at: new Date(),
    });
    const [row] = await knex('scans').select(
      'open_critical',
      'dependency_count',
    );
    expect(Number(row.open_critical)).toBe(0);
    expect(Number(row.dependency_count)).toBe(0);

    for (let step = 0; step < migrationFiles.length; step += 1) {
      await migrateDownOne(knex);
    }
    expect(await knex.schema.hasTable('findings')).toBe(false);
    expect(await knex.schema.hasTable('scans')).toBe(false);
  });
});
