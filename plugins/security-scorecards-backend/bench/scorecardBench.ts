/*
 * Scorecard benchmark on PostgreSQL: 10,000 entities owned by 1,000 nested
 * groups, with 1,000,000 findings, 30,000 scans and 100,000 dependencies.
 * Prints the time to re-evaluate every entity, and p50/p95 latencies of one
 * entity's scorecard, of the organisation rollup and of a mid-level group
 * rollup.
 *
 *   yarn workspace @secdevops/plugin-security-scorecards-backend bench:scorecards
 *
 * BENCH_POSTGRES_CONNECTION_STRING overrides postgresql://postgres@127.0.0.1:5432;
 * BENCH_ENTITIES and BENCH_FINDINGS scale the data; BENCH_KEEP_DATABASE=1
 * keeps the database for a look at the query plans.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import knexFactory, { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { CatalogEntityCache } from '../src/catalog/CatalogEntityCache';
import { migratedDatabaseClient } from '../src/database/sql';
import { builtInCheckTypes } from '../src/scorecards/checkTypes';
import { Rubric } from '../src/scorecards/rubric';
import { ScorecardDatabase } from '../src/scorecards/ScorecardDatabase';
import { ScorecardService } from '../src/scorecards/ScorecardService';
import { SlaPolicy } from '../src/sla/SlaPolicy';

const entityCount = Number(process.env.BENCH_ENTITIES ?? 10_000);
const findingCount = Number(process.env.BENCH_FINDINGS ?? 1_000_000);
const postgresConnection =
  process.env.BENCH_POSTGRES_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/** 1 root, 9 divisions, 90 departments, 900 teams: 1,000 groups, 4 levels deep. */
async function seed(knex: Knex) {
  await knex.raw(
    `INSERT INTO catalog_entities (entity_ref, kind, title, owner_ref, owner_group_ref, parent_ref, annotations, refreshed_at)
     SELECT 'group:default/org', 'group', 'Org', NULL, NULL, NULL, '{}', now()
     UNION ALL
     SELECT 'group:default/division-' || d, 'group', 'Division ' || d, NULL, NULL, 'group:default/org', '{}', now()
       FROM generate_series(1, 9) d
     UNION ALL
     SELECT 'group:default/department-' || p, 'group', 'Department ' || p, NULL, NULL,
            'group:default/division-' || (1 + (p - 1) / 10), '{}', now()
       FROM generate_series(1, 90) p
     UNION ALL
     SELECT 'group:default/team-' || t, 'group', 'Team ' || t, NULL, NULL,
            'group:default/department-' || (1 + (t - 1) / 10), '{}', now()
       FROM generate_series(1, 900) t`,
  );
  // Entities spread over the teams; every third has a security champion.
  await knex.raw(
    `INSERT INTO catalog_entities (entity_ref, kind, title, owner_ref, owner_group_ref, parent_ref, annotations, refreshed_at)
     SELECT 'component:default/service-' || e, 'component', 'Service ' || e,
            'group:default/team-' || (1 + e % 900), 'group:default/team-' || (1 + e % 900), NULL,
            CASE WHEN e % 3 = 0 THEN '{"security-scorecards/security-champion":"user:default/someone"}' ELSE '{}' END, now()
       FROM generate_series(1, ?) e`,
    [entityCount],
  );
  // Three scans per entity (SCA, SAST, secrets), 1 to 20 days old.
  await knex.raw(
    `INSERT INTO scans (id, entity_ref, source, format, scanner, created_by, created_at, categories, dependency_count)
     SELECT md5(e || '-' || k)::uuid::text, 'component:default/service-' || e,
            (ARRAY['trivy', 'semgrep', 'gitleaks'])[k], (ARRAY['trivy', 'sarif', 'gitleaks'])[k],
            (ARRAY['Trivy', 'Semgrep', 'gitleaks'])[k], 'external:bench',
            now() - ((e + k) % 20 + 1) * interval '1 day',
            (ARRAY[',sca,', ',sast,', ',secret,'])[k], CASE WHEN k = 1 THEN 10 ELSE 0 END
       FROM generate_series(1, ?) e, generate_series(1, 3) k`,
    [entityCount],
  );
  await knex.raw(
    `INSERT INTO dependencies (entity_ref, source, dependency_key, purl, purl_base, name, version, ecosystem, licenses, direct)
     SELECT 'component:default/service-' || e, 'trivy', 'pkg:npm/package-' || d || '@1.0.' || (e % 7),
            'pkg:npm/package-' || d || '@1.0.' || (e % 7), 'pkg:npm/package-' || d,
            'package-' || d, '1.0.' || (e % 7), 'npm', '["MIT"]', d < 3
       FROM generate_series(1, ?) e, generate_series(1, 10) d`,
    [entityCount],
  );
  // Findings: mostly fixed or open SCA/SAST findings of every severity and age.
  await knex.raw(
    `INSERT INTO findings (id, entity_ref, source, fingerprint, category, severity, severity_rank, rule_id, title,
                           identifiers, package_fixed_versions, scanner, status, known_exploited, "references",
                           first_seen_at, last_seen_at, fixed_at, content_sha256)
     SELECT md5('f' || f)::uuid, 'component:default/service-' || (1 + f % ?), 
            CASE WHEN f % 2 = 0 THEN 'trivy' ELSE 'semgrep' END, md5('fp' || f),
            CASE WHEN f % 2 = 0 THEN 'sca' WHEN f % 97 = 0 THEN 'secret' ELSE 'sast' END,
            (ARRAY['critical', 'high', 'medium', 'low', 'info'])[1 + f % 5], f % 5,
            'rule-' || (f % 500), 'Finding ' || f, '[]', '[]',
            CASE WHEN f % 2 = 0 THEN 'Trivy' ELSE 'Semgrep' END,
            CASE WHEN f % 3 = 0 THEN 'fixed' ELSE 'open' END, f % 1000 = 0, '[]',
            now() - (f % 200) * interval '1 day', now(),
            CASE WHEN f % 3 = 0 THEN now() - (f % 60) * interval '1 day' END, md5('c' || f)
       FROM generate_series(1, ?) f`,
    [entityCount, findingCount],
  );
  await knex.raw('ANALYZE');
}

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
};

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function measure(
  label: string,
  runs: number,
  fn: (index: number) => Promise<unknown>,
) {
  for (let i = 0; i < 3; i++) await fn(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(
    `${label.padEnd(36)} p50 ${percentile(samples, 50)
      .toFixed(1)
      .padStart(7)} ms   p95 ${percentile(samples, 95)
      .toFixed(1)
      .padStart(7)} ms   (${runs} runs)`,
  );
}

async function main() {
  const databaseName = `scorecard_bench_${randomUUID().replace(/-/g, '')}`;
  const admin = knexFactory({ client: 'pg', connection: postgresConnection });
  await admin.raw('CREATE DATABASE ??', [databaseName]);
  const url = new URL(postgresConnection);
  url.pathname = `/${databaseName}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 1, max: 10 },
  });
  try {
    const database = {
      getClient: async () => knex,
      migrations: { skip: false },
    };
    await migratedDatabaseClient(database);
    let started = Date.now();
    await seed(knex);
    console.log(
      `Seeded ${entityCount} entities in 1000 groups, ${findingCount} findings, ${
        entityCount * 3
      } scans, ${entityCount * 10} dependencies in ${Date.now() - started} ms`,
    );

    const sla = new SlaPolicy();
    const catalogCache = await CatalogEntityCache.create({
      database,
      catalog: {} as CatalogService,
      auth: mockServices.auth(),
      logger: silentLogger,
      kinds: ['component'],
    });
    const service = new ScorecardService({
      database: await ScorecardDatabase.create({ database, sla }),
      catalogCache,
      rubric: Rubric.fromConfig(
        new ConfigReader({}),
        new Map(builtInCheckTypes.map(type => [type.type, type])),
      ),
      logger: silentLogger,
    });

    started = Date.now();
    const first = await service.evaluateAll();
    console.log(
      `First evaluation of ${first.entities} entities: ${
        Date.now() - started
      } ms (every result written)`,
    );
    for (let run = 1; run <= 3; run++) {
      started = Date.now();
      await service.evaluateAll();
      console.log(
        `Re-evaluation ${run} of all entities: ${Date.now() - started} ms`,
      );
    }

    started = Date.now();
    const scorecardDatabase = await ScorecardDatabase.create({ database, sla });
    await scorecardDatabase.loadFacts({
      kinds: ['component'],
      now: new Date(),
    });
    console.log(
      `  of which loading the facts of all entities: ${
        Date.now() - started
      } ms`,
    );

    await measure('Entity scorecard', 200, index =>
      service.getEntityScorecard(
        `component:default/service-${1 + ((index * 7919) % entityCount)}`,
      ),
    );
    await measure('Organisation rollup', 30, () =>
      service.getGroupScorecard({}),
    );
    await measure('Division rollup (~1,100 entities)', 30, index =>
      service.getGroupScorecard({
        groupRef: `group:default/division-${1 + (index % 9)}`,
      }),
    );
    await measure('Department rollup (~110 entities)', 30, index =>
      service.getGroupScorecard({
        groupRef: `group:default/department-${1 + (index % 90)}`,
      }),
    );
  } finally {
    await knex.destroy();
    if (process.env.BENCH_KEEP_DATABASE) {
      console.log(`Kept the database ${databaseName}`);
    } else {
      await admin.raw('DROP DATABASE ??', [databaseName]);
    }
    await admin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
