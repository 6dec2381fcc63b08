/*
 * Ingestion benchmark: generates a SARIF and a CycloneDX report of 100,000
 * findings each, ingests each into PostgreSQL and into SQLite twice (a first
 * upload and a re-upload of the same report) through the same service as
 * POST /scans, and prints findings per second and peak memory.
 *
 * Memory is measured twice, each time in a fresh process, as resident memory
 * above the level with the report already read:
 * - peak: with Node's default heap settings. It includes V8's young
 *   generation growing to its default size on the first heavy allocation of
 *   the process, and garbage not yet collected.
 * - held: with the V8 heap capped at 3x the report's size (old space) and a
 *   4 MB young generation, so that garbage is collected early and what
 *   remains is what ingestion holds. Ingestion that needed more than the cap
 *   would fail with "out of memory", and the benchmark with it.
 *
 *   yarn bench                      (from the repository root)
 *   BENCH_FINDINGS=20000 yarn bench  (a smaller run)
 *   BENCH_DATABASES=PostgreSQL yarn bench:ingest  (one database)
 *
 * PostgreSQL comes from BENCH_POSTGRES_CONNECTION_STRING, default
 * postgresql://postgres@127.0.0.1:5432; a database is created for the run and
 * dropped afterwards. It prints figures and never fails on a time.
 */
import {
  BackstageCredentials,
  BackstageServicePrincipal,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import knexFactory, { Knex } from 'knex';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EntityLookup } from '../src/catalog/EntityLookup';
import { DatabaseScorecardStore } from '../src/database/DatabaseScorecardStore';
import { ScanIngestionService } from '../src/ingest/ScanIngestionService';

const findingCount = Number(process.env.BENCH_FINDINGS ?? 100_000);
const databaseNames = (['PostgreSQL', 'SQLite'] as const).filter(
  name =>
    !process.env.BENCH_DATABASES?.split(',').every(wanted => wanted !== name),
);
const postgresConnection =
  process.env.BENCH_POSTGRES_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
const entityRef = 'component:default/bench';
const benchCredentials: BackstageCredentials<BackstageServicePrincipal> = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'service', subject: 'external:bench' },
};

function sarifReport(count: number): Buffer {
  const ruleCount = 250;
  const rules = Array.from({ length: ruleCount }, (_, index) => ({
    id: `bench/rule-${index}`,
    shortDescription: { text: `Benchmark rule ${index}` },
    fullDescription: {
      text: `Finds pattern ${index} that may be exploitable.`,
    },
    defaultConfiguration: { level: ['error', 'warning', 'note'][index % 3] },
    properties: {
      tags: ['security', `external/cwe/cwe-${(index % 90) + 1}`],
      'security-severity': String(((index * 37) % 100) / 10),
    },
  }));
  const results = Array.from({ length: count }, (_, index) => ({
    ruleId: `bench/rule-${index % ruleCount}`,
    ruleIndex: index % ruleCount,
    message: { text: `Tainted value reaches sink number ${index}.` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: `src/module-${index % 500}/file-${index}.ts`,
          },
          region: { startLine: (index % 400) + 1, startColumn: 5 },
        },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: `${index.toString(16)}:1` },
  }));
  return Buffer.from(
    JSON.stringify({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'BenchScanner', version: '1.0.0', rules } },
          results,
        },
      ],
    }),
  );
}

function cycloneDxReport(count: number): Buffer {
  const componentCount = Math.max(1, Math.floor(count / 5));
  const components = Array.from({ length: componentCount }, (_, index) => ({
    type: 'library',
    'bom-ref': `pkg:npm/bench-package-${index}@1.${index % 10}.0`,
    name: `bench-package-${index}`,
    version: `1.${index % 10}.0`,
    purl: `pkg:npm/bench-package-${index}@1.${index % 10}.0`,
    licenses: [{ license: { id: 'MIT' } }],
  }));
  const vulnerabilities = Array.from({ length: count }, (_, index) => ({
    'bom-ref': `vulnerability-${index}`,
    id: `CVE-2099-${100000 + index}`,
    source: {
      name: 'NVD',
      url: `https://nvd.nist.gov/vuln/detail/CVE-2099-${100000 + index}`,
    },
    ratings: [
      {
        source: { name: 'NVD' },
        score: ((index * 13) % 100) / 10,
        severity: ['critical', 'high', 'medium', 'low'][index % 4],
        method: 'CVSSv31',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      },
    ],
    cwes: [79],
    description: `Benchmark vulnerability ${index}.`,
    recommendation: `Upgrade bench-package-${index % componentCount}.`,
    affects: [{ ref: components[index % componentCount]['bom-ref'] }],
  }));
  return Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: { tools: [{ name: 'BenchScanner', version: '1.0.0' }] },
      components,
      vulnerabilities,
    }),
  );
}

/** Samples the resident set size while a piece of work runs. */
async function withPeakMemory<T>(work: () => Promise<T>) {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, seconds, peakAboveBaseline: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

async function withDatabase<T>(
  name: 'PostgreSQL' | 'SQLite',
  use: (knex: Knex) => Promise<T>,
): Promise<T> {
  if (name === 'SQLite') {
    // A file, as a deployment would use: an in-memory database would count
    // the stored rows as the process's memory.
    const directory = fs.mkdtempSync(
      path.join(os.tmpdir(), 'ingest-bench-db-'),
    );
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(directory, 'bench.sqlite') },
      useNullAsDefault: true,
    });
    try {
      return await use(knex);
    } finally {
      await knex.destroy();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  }
  const databaseName = `security_scorecards_bench_${randomUUID().slice(0, 8)}`;
  const admin = knexFactory({ client: 'pg', connection: postgresConnection });
  await admin.raw('CREATE DATABASE ??', [databaseName]);
  const url = new URL(postgresConnection);
  url.pathname = `/${databaseName}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    return await use(knex);
  } finally {
    await knex.destroy();
    await admin.raw('DROP DATABASE ??', [databaseName]);
    await admin.destroy();
  }
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

type Measurement = {
  /** The run with the heap capped: its findings per second and resident memory. */
  held?: { findingsPerSecond: number; peakAboveBaseline: number };
  upload: string;
  seconds: number;
  total: number;
  newCount: number;
  unchanged: number;
  peakAboveBaseline: number;
};

/**
 * Runs in a process of its own, so that the memory one measurement leaves
 * behind does not hide the next one's: ingests one report into one database,
 * twice, and prints the measurements as JSON.
 */
async function measureInWorker(
  databaseName: 'PostgreSQL' | 'SQLite',
  reportFile: string,
  format: 'sarif' | 'cyclonedx',
) {
  const entities = {
    require: async () =>
      ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'bench' },
      } as Entity),
  } as unknown as EntityLookup;
  const body = fs.readFileSync(reportFile);
  const measurements: Measurement[] = [];
  await withDatabase(databaseName, async knex => {
    const store = await DatabaseScorecardStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    const ingestion = new ScanIngestionService({
      store,
      entities,
      maxBodyBytes: 500 * 1024 * 1024,
    });
    for (const upload of ['first', 're-upload']) {
      const { result, seconds, peakAboveBaseline } = await withPeakMemory(() =>
        ingestion.ingest({
          entityRef,
          body,
          format,
          source: `bench-${format}`,
          credentials: benchCredentials,
        }),
      );
      measurements.push({
        upload,
        seconds,
        total: result.findings.total,
        newCount: result.findings.new,
        unchanged: result.findings.unchanged,
        peakAboveBaseline,
      });
    }
  });
  process.stdout.write(`${JSON.stringify(measurements)}\n`);
}

/** Runs one worker process and returns its measurements. */
function runWorker(
  databaseName: 'PostgreSQL' | 'SQLite',
  reportFile: string,
  format: 'sarif' | 'cyclonedx',
  nodeOptions: string[] = [],
): Measurement[] {
  const worker = spawnSync(
    process.execPath,
    [
      ...process.execArgv.filter(
        option => !option.startsWith('--max-old-space-size'),
      ),
      ...nodeOptions,
      __filename,
      '--worker',
      databaseName,
      reportFile,
      format,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (worker.status !== 0) {
    throw new Error(
      `${databaseName} ${format} failed${
        nodeOptions.length > 0 ? ` with ${nodeOptions.join(' ')}` : ''
      }`,
    );
  }
  return JSON.parse(worker.stdout.trim().split('\n').pop()!);
}

async function main() {
  const reports = [
    {
      name: 'SARIF',
      format: 'sarif' as const,
      bytes: sarifReport(findingCount),
    },
    {
      name: 'CycloneDX',
      format: 'cyclonedx' as const,
      bytes: cycloneDxReport(findingCount),
    },
  ];
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-bench-'));

  console.log(
    `Ingestion benchmark: ${findingCount} findings per report, Node.js ${
      process.version
    }, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs`,
  );
  console.log(
    [
      'database'.padEnd(11),
      'report'.padEnd(10),
      'size MB'.padStart(8),
      'upload'.padEnd(10),
      'seconds'.padStart(8),
      'findings/s'.padStart(11),
      'peak MB'.padStart(8),
      'peak/size'.padStart(10),
      'held f/s'.padStart(9),
      'held MB'.padStart(8),
      'held/size'.padStart(10),
      'new'.padStart(8),
      'unchanged'.padStart(10),
    ].join(' '),
  );
  try {
    for (const databaseName of databaseNames) {
      for (const report of reports) {
        const reportFile = path.join(directory, `report.${report.format}.json`);
        fs.writeFileSync(reportFile, report.bytes);
        const measurements = runWorker(databaseName, reportFile, report.format);
        const capMegabytes = Math.ceil((3 * report.bytes.length) / 1024 / 1024);
        const held = runWorker(databaseName, reportFile, report.format, [
          `--max-old-space-size=${capMegabytes}`,
          '--max-semi-space-size=4',
        ]);
        measurements.forEach((measurement, index) => {
          measurement.held = {
            findingsPerSecond: held[index].total / held[index].seconds,
            peakAboveBaseline: held[index].peakAboveBaseline,
          };
        });
        for (const measurement of measurements) {
          console.log(
            [
              databaseName.padEnd(11),
              report.name.padEnd(10),
              megabytes(report.bytes.length).padStart(8),
              measurement.upload.padEnd(10),
              measurement.seconds.toFixed(2).padStart(8),
              Math.round(measurement.total / measurement.seconds)
                .toString()
                .padStart(11),
              megabytes(measurement.peakAboveBaseline).padStart(8),
              (measurement.peakAboveBaseline / report.bytes.length)
                .toFixed(2)
                .padStart(10),
              Math.round(measurement.held!.findingsPerSecond)
                .toString()
                .padStart(9),
              megabytes(measurement.held!.peakAboveBaseline).padStart(8),
              (measurement.held!.peakAboveBaseline / report.bytes.length)
                .toFixed(2)
                .padStart(10),
              String(measurement.newCount).padStart(8),
              String(measurement.unchanged).padStart(10),
            ].join(' '),
          );
        }
      }
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  console.log(
    [
      'Each row pair runs in a fresh process. Memory is resident memory above the level with the report already read, sampled every 5 ms while parsing and storing.',
      'peak MB: default heap settings (includes the young generation growing to its default size, and garbage not yet collected).',
      'held: a second run with the V8 heap capped at 3x the report size and a 4 MB young generation (what ingestion holds): its findings/s and peak.',
    ].join('\n'),
  );
}

const workerArguments = process.argv.slice(process.argv.indexOf('--worker'));
const run =
  workerArguments[0] === '--worker'
    ? measureInWorker(
        workerArguments[1] as 'PostgreSQL' | 'SQLite',
        workerArguments[2],
        workerArguments[3] as 'sarif' | 'cyclonedx',
      )
    : main();
run.catch(error => {
  console.error(error);
  process.exit(1);
});
