import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  Dependency,
  DependencyListResponse,
  DependencyUsage,
  Finding,
  FindingCategory,
  FindingListResponse,
  FindingStatus,
  NormalizedDependency,
  NormalizedFinding,
  purlWithoutVersion,
  ScanFindingCounts,
  ScanSummary,
  SEVERITIES,
  Severity,
  SeverityCounts,
  emptySeverityCounts,
  versionOfPurl,
} from '@secdevops/plugin-security-scorecards-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  DependencyQuery,
  FindingOrderField,
  FindingQuery,
  NewScan,
  ScorecardStore,
  StoredScan,
} from './ScorecardStore';

const migrationsDirectory = resolvePackagePath(
  '@secdevops/plugin-security-scorecards-backend',
  'migrations',
);

/**
 * Rows per multi-row statement. Bounded by the bind-parameter limits of
 * SQLite (32,766) and PostgreSQL (65,535) at about 36 columns a row.
 */
const rowsPerStatement = 800;

/** A row of the `scans` table. */
type RawScanRow = {
  id: string;
  entity_ref: string;
  source: string;
  format: string;
  scanner: string;
  scanner_version: string | null;
  commit_sha: string | null;
  branch: string | null;
  created_by: string;
  created_at: Date | string | number;
  open_critical: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_info: number;
  dependency_count: number;
  findings_total: number;
  findings_new: number;
  findings_reopened: number;
  findings_fixed: number;
  findings_unchanged: number;
};

/** A row of the `findings` table. */
type RawFindingRow = {
  id: string;
  entity_ref: string;
  source: string;
  fingerprint: string;
  category: FindingCategory;
  severity: Severity;
  severity_rank: number;
  rule_id: string;
  title: string;
  description: string | null;
  cvss_version: string | null;
  cvss_score: number | null;
  cvss_vector: string | null;
  identifiers: string;
  package_purl: string | null;
  package_name: string | null;
  package_version: string | null;
  package_ecosystem: string | null;
  package_fixed_versions: string;
  location_path: string | null;
  location_line: number | null;
  scanner: string;
  status: FindingStatus;
  status_reason: string | null;
  secret_redacted: string | null;
  secret_sha256: string | null;
  epss: number | null;
  known_exploited: boolean | number;
  references: string;
  first_seen_at: Date | string | number;
  last_seen_at: Date | string | number;
  fixed_at: Date | string | number | null;
  last_scan_id: string;
};

/** A row of the `dependencies` table. */
type RawDependencyRow = {
  entity_ref: string;
  source: string;
  dependency_key: string;
  purl: string | null;
  purl_base: string | null;
  name: string;
  version: string | null;
  ecosystem: string | null;
  licenses: string;
  direct: boolean | number | null;
  scan_id: string;
};

/** Columns a new scan overwrites on a finding that is already stored. */
const findingColumnsUpdatedByScans: Array<keyof RawFindingRow> = [
  'category',
  'severity',
  'severity_rank',
  'rule_id',
  'title',
  'description',
  'cvss_version',
  'cvss_score',
  'cvss_vector',
  'identifiers',
  'package_purl',
  'package_name',
  'package_version',
  'package_ecosystem',
  'package_fixed_versions',
  'location_path',
  'location_line',
  'scanner',
  'status',
  'status_reason',
  'secret_redacted',
  'secret_sha256',
  'epss',
  'known_exploited',
  'references',
  'last_seen_at',
  'last_scan_id',
];

const findingOrderColumns: Record<FindingOrderField, string> = {
  severity: 'severity_rank',
  title: 'title',
  category: 'category',
  status: 'status',
  scanner: 'scanner',
  ruleId: 'rule_id',
  firstSeenAt: 'first_seen_at',
  lastSeenAt: 'last_seen_at',
};

/**
 * Runs the plugin's migrations unless the app config says to skip them, and
 * returns the database client.
 *
 * @internal
 */
export async function migratedDatabaseClient(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDirectory });
  }
  return client;
}

/**
 * {@link ScorecardStore} on the plugin's SQL database (PostgreSQL or SQLite).
 *
 * @internal
 */
export class DatabaseScorecardStore implements ScorecardStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseScorecardStore> {
    return new DatabaseScorecardStore(
      await migratedDatabaseClient(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async storeScan(scan: NewScan): Promise<StoredScan> {
    const scanId = randomUUID();
    const now = new Date();

    return this.db.transaction(async tx => {
      const previousStatuses = new Map<string, FindingStatus>();
      const previousRows = await tx<RawFindingRow>('findings')
        .where({ entity_ref: scan.entityRef, source: scan.source })
        .select('fingerprint', 'status');
      for (const row of previousRows) {
        previousStatuses.set(row.fingerprint, row.status);
      }

      const counts: ScanFindingCounts = {
        total: scan.findings.length,
        new: 0,
        reopened: 0,
        fixed: 0,
        unchanged: 0,
      };
      const openFindings = emptySeverityCounts();
      for (const finding of scan.findings) {
        const previousStatus = previousStatuses.get(finding.fingerprint);
        if (previousStatus === undefined) {
          counts.new += 1;
        } else if (previousStatus === 'fixed' && finding.status !== 'fixed') {
          counts.reopened += 1;
        } else {
          counts.unchanged += 1;
        }
        if (finding.status === 'open') {
          openFindings[finding.severity] += 1;
        }
      }

      await this.upsertFindings(tx, scan, scanId, now);

      // Whatever this scan of the source no longer reports is fixed.
      counts.fixed = await tx<RawFindingRow>('findings')
        .where({ entity_ref: scan.entityRef, source: scan.source })
        .whereNot('last_scan_id', scanId)
        .whereNot('status', 'fixed')
        .update({ status: 'fixed', fixed_at: now });

      await tx<RawDependencyRow>('dependencies')
        .where({ entity_ref: scan.entityRef, source: scan.source })
        .delete();
      const dependencyRows = scan.dependencies.map(dependency =>
        toDependencyRow(scan, scanId, dependency),
      );
      for (const batch of batches(dependencyRows)) {
        await tx('dependencies').insert(batch);
      }

      const scanRow: RawScanRow = {
        id: scanId,
        entity_ref: scan.entityRef,
        source: scan.source,
        format: scan.format,
        scanner: scan.scanner,
        scanner_version: scan.scannerVersion ?? null,
        commit_sha: scan.commit ?? null,
        branch: scan.branch ?? null,
        created_by: scan.createdBy,
        created_at: now,
        open_critical: openFindings.critical,
        open_high: openFindings.high,
        open_medium: openFindings.medium,
        open_low: openFindings.low,
        open_info: openFindings.info,
        dependency_count: scan.dependencies.length,
        findings_total: counts.total,
        findings_new: counts.new,
        findings_reopened: counts.reopened,
        findings_fixed: counts.fixed,
        findings_unchanged: counts.unchanged,
      };
      await tx('scans').insert(scanRow);

      return {
        scanId,
        findings: counts,
        dependencies: scan.dependencies.length,
      };
    });
  }

  /**
   * Inserts new findings and updates known ones in multi-row upserts. The id
   * and first-seen time of a known finding are kept; its fixed time is kept
   * while it stays fixed and cleared when it comes back.
   */
  private async upsertFindings(
    tx: Knex.Transaction,
    scan: NewScan,
    scanId: string,
    now: Date,
  ): Promise<void> {
    const merge: Record<string, Knex.Raw> = {};
    for (const column of findingColumnsUpdatedByScans) {
      merge[column] = tx.raw('??', [`excluded.${column}`]);
    }
    merge.fixed_at = tx.raw(
      `CASE WHEN ?? = 'fixed' THEN COALESCE(??, ??) ELSE NULL END`,
      ['excluded.status', 'findings.fixed_at', 'excluded.fixed_at'],
    );
    merge.first_seen_at = tx.raw('??', ['findings.first_seen_at']);

    const rows = scan.findings.map(finding =>
      toFindingRow(scan, scanId, now, finding),
    );
    for (const batch of batches(rows)) {
      await tx('findings')
        .insert(batch)
        .onConflict(['entity_ref', 'source', 'fingerprint'])
        .merge(merge);
    }
  }

  async listScans(options: {
    entityRef: string;
    limit: number;
  }): Promise<ScanSummary[]> {
    const rows = await this.db<RawScanRow>('scans')
      .where({ entity_ref: options.entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toScanSummary);
  }

  async listFindings(query: FindingQuery): Promise<FindingListResponse> {
    const filtered = this.db<RawFindingRow>('findings').where({
      entity_ref: query.entityRef,
    });
    if (query.statuses?.length) filtered.whereIn('status', query.statuses);
    if (query.severities?.length)
      filtered.whereIn('severity', query.severities);
    if (query.categories?.length)
      filtered.whereIn('category', query.categories);
    if (query.scanners?.length) filtered.whereIn('scanner', query.scanners);
    if (query.text) {
      const pattern = `%${escapeLike(query.text.toLowerCase())}%`;
      filtered.where(inner => {
        for (const column of [
          'title',
          'rule_id',
          'package_name',
          'location_path',
          'identifiers',
        ]) {
          inner.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [column, pattern]);
        }
      });
    }

    const [{ count }] = await filtered
      .clone()
      .count<Array<{ count: string | number }>>({ count: '*' });
    const orderColumn = findingOrderColumns[query.orderBy];
    // Severity sorts by rank, where 0 is critical: "desc" means most severe first.
    const direction =
      query.orderBy === 'severity' ? flipOrder(query.order) : query.order;
    const rows = await filtered
      .orderBy([
        { column: orderColumn, order: direction },
        { column: 'severity_rank', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(query.limit)
      .offset(query.offset);
    return { items: rows.map(toFinding), totalCount: Number(count) };
  }

  async listDependencies(
    query: DependencyQuery,
  ): Promise<DependencyListResponse> {
    const vulnerablePackages = this.db<RawFindingRow>('findings')
      .where({ entity_ref: query.entityRef, status: 'open' })
      .whereNotNull('package_name')
      .groupBy('package_name', 'package_version')
      .select('package_name', 'package_version')
      .select(
        SEVERITIES.map(severity =>
          this.db.raw(`SUM(CASE WHEN severity = ? THEN 1 ELSE 0 END) AS ??`, [
            severity,
            `open_${severity}`,
          ]),
        ),
      )
      .count({ open_total: '*' })
      .as('vulnerable_packages');

    const grouped = this.db<RawDependencyRow>('dependencies as d')
      .leftJoin(vulnerablePackages, join =>
        join
          .on('vulnerable_packages.package_name', '=', 'd.name')
          .andOn(
            this.db.raw(
              'COALESCE(vulnerable_packages.package_version, ?) = COALESCE(d.version, ?)',
              ['', ''],
            ),
          ),
      )
      .where('d.entity_ref', query.entityRef)
      .groupBy('d.dependency_key');
    if (query.text) {
      const pattern = `%${escapeLike(query.text.toLowerCase())}%`;
      grouped.where(inner =>
        inner
          .whereRaw(`LOWER(d.name) LIKE ? ESCAPE '\\'`, [pattern])
          .orWhereRaw(`LOWER(d.purl) LIKE ? ESCAPE '\\'`, [pattern]),
      );
    }
    if (query.vulnerable === true) {
      grouped.havingRaw('MAX(COALESCE(vulnerable_packages.open_total, 0)) > 0');
    } else if (query.vulnerable === false) {
      grouped.havingRaw('MAX(COALESCE(vulnerable_packages.open_total, 0)) = 0');
    }

    const [{ count }] = await this.db
      .from(grouped.clone().select('d.dependency_key').as('matching'))
      .count<Array<{ count: string | number }>>({ count: '*' });

    const rows: Array<Record<string, unknown>> = await grouped
      .select('d.dependency_key')
      .min({ source: 'd.source', purl: 'd.purl', name: 'd.name' })
      .min({
        version: 'd.version',
        ecosystem: 'd.ecosystem',
        licenses: 'd.licenses',
      })
      .select(
        this.db.raw(
          'MAX(CASE WHEN d.direct IS NULL THEN NULL WHEN d.direct THEN 1 ELSE 0 END) AS direct',
        ),
        ...SEVERITIES.map(severity =>
          this.db.raw('MAX(COALESCE(??, 0)) AS ??', [
            `vulnerable_packages.open_${severity}`,
            `open_${severity}`,
          ]),
        ),
        this.db.raw(
          'MAX(COALESCE(vulnerable_packages.open_total, 0)) AS open_total',
        ),
      )
      .orderByRaw('MAX(COALESCE(vulnerable_packages.open_critical, 0)) DESC')
      .orderByRaw('MAX(COALESCE(vulnerable_packages.open_high, 0)) DESC')
      .orderByRaw('MAX(COALESCE(vulnerable_packages.open_total, 0)) DESC')
      .orderBy('d.dependency_key')
      .limit(query.limit)
      .offset(query.offset);

    return {
      totalCount: Number(count),
      items: rows.map(row => toDependency(query.entityRef, row)),
    };
  }

  async findDependencyUsage(
    purl: string,
  ): Promise<Omit<DependencyUsage, 'owner'>[]> {
    const version = versionOfPurl(purl);
    const usages = this.db<RawDependencyRow>('dependencies as d')
      .where('d.purl_base', purlWithoutVersion(purl))
      .select('d.entity_ref', 'd.name', 'd.version')
      .min({ purl: 'd.purl' })
      .select(
        this.db.raw(
          'MAX(CASE WHEN d.direct IS NULL THEN NULL WHEN d.direct THEN 1 ELSE 0 END) AS direct',
        ),
        this.db.raw(
          `EXISTS (SELECT 1 FROM findings f WHERE f.entity_ref = d.entity_ref AND f.status = 'open'
             AND f.package_name = d.name AND COALESCE(f.package_version, '') = COALESCE(d.version, '')) AS vulnerable`,
        ),
      )
      .groupBy('d.entity_ref', 'd.name', 'd.version')
      .orderBy(['d.entity_ref', 'd.version']);
    if (version !== undefined) {
      usages.where('d.version', version);
    }
    const rows: Array<Record<string, unknown>> = await usages;
    return rows.map(row => ({
      entityRef: String(row.entity_ref),
      name: String(row.name),
      ...(row.purl ? { purl: String(row.purl) } : {}),
      ...(row.version ? { version: String(row.version) } : {}),
      ...optionalBoolean('direct', row.direct),
      vulnerable: Boolean(Number(row.vulnerable)) || row.vulnerable === true,
    }));
  }

  async checkConnection(): Promise<void> {
    await this.db.raw('select 1');
  }
}

function* batches<T>(rows: T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    yield rows.slice(start, start + rowsPerStatement);
  }
}

function flipOrder(order: 'asc' | 'desc'): 'asc' | 'desc' {
  return order === 'asc' ? 'desc' : 'asc';
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, character => `\\${character}`);
}

function toFindingRow(
  scan: NewScan,
  scanId: string,
  now: Date,
  finding: NormalizedFinding,
): RawFindingRow {
  return {
    id: randomUUID(),
    entity_ref: scan.entityRef,
    source: scan.source,
    fingerprint: finding.fingerprint,
    category: finding.category,
    severity: finding.severity,
    severity_rank: SEVERITIES.indexOf(finding.severity),
    rule_id: finding.ruleId,
    title: finding.title,
    description: finding.description ?? null,
    cvss_version: finding.cvss?.version ?? null,
    cvss_score: finding.cvss?.score ?? null,
    cvss_vector: finding.cvss?.vector ?? null,
    identifiers: JSON.stringify(finding.identifiers),
    package_purl: finding.package?.purl ?? null,
    package_name: finding.package?.name ?? null,
    package_version: finding.package?.version ?? null,
    package_ecosystem: finding.package?.ecosystem ?? null,
    package_fixed_versions: JSON.stringify(
      finding.package?.fixedVersions ?? [],
    ),
    location_path: finding.location?.path ?? null,
    location_line: finding.location?.line ?? null,
    scanner: finding.scanner,
    status: finding.status,
    status_reason: finding.statusReason ?? null,
    secret_redacted: finding.secret?.redacted ?? null,
    secret_sha256: finding.secret?.sha256 ?? null,
    epss: finding.epss ?? null,
    known_exploited: finding.knownExploited ?? false,
    references: JSON.stringify(finding.references ?? []),
    first_seen_at: now,
    last_seen_at: now,
    fixed_at: finding.status === 'fixed' ? now : null,
    last_scan_id: scanId,
  };
}

function toDependencyRow(
  scan: NewScan,
  scanId: string,
  dependency: NormalizedDependency,
): RawDependencyRow {
  return {
    entity_ref: scan.entityRef,
    source: scan.source,
    dependency_key:
      dependency.purl ?? `${dependency.name}@${dependency.version ?? ''}`,
    purl: dependency.purl ?? null,
    purl_base: dependency.purl ? purlWithoutVersion(dependency.purl) : null,
    name: dependency.name,
    version: dependency.version ?? null,
    ecosystem: dependency.ecosystem ?? null,
    licenses: JSON.stringify(dependency.licenses),
    direct: dependency.direct ?? null,
    scan_id: scanId,
  };
}

function toTimestamp(value: Date | string | number): string {
  return new Date(value).toISOString();
}

function optionalBoolean<K extends string>(
  key: K,
  value: unknown,
): Partial<Record<K, boolean>> {
  if (value === null || value === undefined) return {};
  return { [key]: value === true || Number(value) === 1 } as Record<K, boolean>;
}

function toScanSummary(row: RawScanRow): ScanSummary {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    source: row.source,
    format: row.format,
    scanner: row.scanner,
    ...(row.scanner_version ? { scannerVersion: row.scanner_version } : {}),
    ...(row.commit_sha ? { commit: row.commit_sha } : {}),
    ...(row.branch ? { branch: row.branch } : {}),
    createdAt: toTimestamp(row.created_at),
    createdBy: row.created_by,
    findings: {
      total: Number(row.findings_total),
      new: Number(row.findings_new),
      reopened: Number(row.findings_reopened),
      fixed: Number(row.findings_fixed),
      unchanged: Number(row.findings_unchanged),
    },
    openFindings: {
      critical: Number(row.open_critical),
      high: Number(row.open_high),
      medium: Number(row.open_medium),
      low: Number(row.open_low),
      info: Number(row.open_info),
    },
    dependencyCount: Number(row.dependency_count),
  };
}

function toFinding(row: RawFindingRow): Finding {
  const cvss =
    row.cvss_score !== null || row.cvss_vector
      ? {
          ...(row.cvss_version ? { version: row.cvss_version } : {}),
          ...(row.cvss_score !== null ? { score: Number(row.cvss_score) } : {}),
          ...(row.cvss_vector ? { vector: row.cvss_vector } : {}),
        }
      : undefined;
  return {
    id: row.id,
    entityRef: row.entity_ref,
    source: row.source,
    severity: row.severity,
    category: row.category,
    title: row.title,
    ...(row.description ? { description: row.description } : {}),
    ruleId: row.rule_id,
    status: row.status,
    ...(row.status_reason ? { statusReason: row.status_reason } : {}),
    scanner: row.scanner,
    ...(row.package_name
      ? {
          package: {
            name: row.package_name,
            ...(row.package_purl ? { purl: row.package_purl } : {}),
            ...(row.package_version ? { version: row.package_version } : {}),
            ...(row.package_ecosystem
              ? { ecosystem: row.package_ecosystem }
              : {}),
            fixedVersions: JSON.parse(row.package_fixed_versions),
          },
        }
      : {}),
    ...(row.location_path
      ? {
          location: {
            path: row.location_path,
            ...(row.location_line !== null
              ? { line: Number(row.location_line) }
              : {}),
          },
        }
      : {}),
    identifiers: JSON.parse(row.identifiers),
    ...(cvss ? { cvss } : {}),
    ...(row.secret_redacted
      ? { secret: { redacted: row.secret_redacted } }
      : {}),
    ...(row.epss !== null ? { epss: Number(row.epss) } : {}),
    knownExploited: Boolean(row.known_exploited),
    references: JSON.parse(row.references),
    firstSeenAt: toTimestamp(row.first_seen_at),
    lastSeenAt: toTimestamp(row.last_seen_at),
    ...(row.fixed_at !== null ? { fixedAt: toTimestamp(row.fixed_at) } : {}),
  };
}

function toDependency(
  entityRef: string,
  row: Record<string, unknown>,
): Dependency {
  const openFindings: SeverityCounts = emptySeverityCounts();
  for (const severity of SEVERITIES) {
    openFindings[severity] = Number(row[`open_${severity}`] ?? 0);
  }
  return {
    entityRef,
    source: String(row.source),
    ...(row.purl ? { purl: String(row.purl) } : {}),
    name: String(row.name),
    ...(row.version ? { version: String(row.version) } : {}),
    ...(row.ecosystem ? { ecosystem: String(row.ecosystem) } : {}),
    licenses: JSON.parse(String(row.licenses)),
    ...optionalBoolean('direct', row.direct),
    vulnerable: Number(row.open_total) > 0,
    openFindings,
  };
}
