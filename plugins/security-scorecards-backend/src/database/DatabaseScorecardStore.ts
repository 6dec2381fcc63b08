import { DatabaseService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  Dependency,
  dependencyKey,
  DependencyListResponse,
  DependencyUsage,
  Finding,
  FindingCategory,
  FindingListResponse,
  FindingOrderField,
  FindingStatus,
  NormalizedDependency,
  NormalizedFinding,
  purlWithoutVersion,
  REPORT_SUPPRESSED_STATUSES,
  ScanFindingCounts,
  ScanStatus,
  ScanSummary,
  SEVERITIES,
  Severity,
  SeverityCounts,
  SlaState,
  emptySeverityCounts,
  versionOfPurl,
} from '@secdevops/plugin-security-scorecards-common';
import { createHash, hash, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  DependencyQuery,
  FindingQuery,
  NewFailedScan,
  NewScan,
  ScorecardStore,
  StoredScan,
} from './ScorecardStore';
import { SlaPolicy } from '../sla/SlaPolicy';
import { applyActiveWaivers } from '../waivers/waiverFindings';
import { slaCutoffSql } from '../sla/slaSql';
import { openRowWriter } from './rowWriters';
import {
  batches,
  migratedDatabaseClient,
  timestampValue,
  upsertClause,
  whereInValues,
} from './sql';

/** The widest value each bounded column holds (varchar lengths, 32-bit integers). */
const SCAN_COLUMN_LIMITS = { scanner: 255, scanner_version: 255 } as const;
const FINDING_COLUMN_LIMITS = {
  rule_id: 255,
  package_name: 255,
  package_version: 255,
  package_ecosystem: 64,
  cvss_version: 8,
  scanner: 255,
  secret_redacted: 255,
} as const;
const DEPENDENCY_COLUMN_LIMITS = {
  dependency_key: 512,
  purl_base: 512,
  name: 255,
  version: 255,
  ecosystem: 64,
} as const;
const MAX_INTEGER_COLUMN = 2147483647;

/**
 * Findings read, looked up and written at a time: few enough that a batch
 * is garbage soon after, many enough that round trips do not dominate.
 */
const findingsPerBatch = 500;

/**
 * Rows read and written at a time where nothing is looked up (the findings of
 * a first scan of a source, dependencies): small batches, garbage before the
 * next minor collection.
 */
const rowsPerInsertBatch = 100;

/** The longest reason of a failed scan kept; scanners can say a lot. */
const MAX_SCAN_ERROR_LENGTH = 2000;

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
  findings_suppressed: number;
  dependencies_sha256: string | null;
  categories: string;
  status: ScanStatus;
  error: string | null;
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
  content_sha256: string;
  /** Its status is one of REPORT_SUPPRESSED_STATUSES, as its report gave it. */
  suppressed_in_report: boolean | number;
  /** The waiver that made it waived, if one did. */
  waiver_id?: string | null;
};

/** A reported finding that is new or changed, with its id and content hash. */
type FindingToWrite = {
  id: string;
  contentSha256: string;
  finding: NormalizedFinding;
};

/** What a stored finding was before a scan. */
type PreviousFinding = { status: FindingStatus; contentSha256: string };

/** What writing the findings of a scan did. */
type WrittenFindings = {
  counts: Omit<ScanFindingCounts, 'fixed'>;
  /** Open findings of the scan by severity. */
  open: SeverityCounts;
  /** What the scan looked for, and the categories of its findings. */
  categories: Set<FindingCategory>;
  /** The ids of the findings the scan reported. */
  reported: Set<string>;
  /** Stored findings of the source that were not fixed before the scan. */
  previouslyUnfixed: number;
  /** How many of those the scan reported. */
  previouslyUnfixedReported: number;
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
  'suppressed_in_report',
  'secret_redacted',
  'secret_sha256',
  'epss',
  'known_exploited',
  'references',
  'last_seen_at',
  'content_sha256',
];

const findingColumns: ReadonlyArray<keyof RawFindingRow> = [
  'id',
  'entity_ref',
  'source',
  'fingerprint',
  'first_seen_at',
  'fixed_at',
  ...findingColumnsUpdatedByScans,
];

const dependencyColumns: ReadonlyArray<keyof RawDependencyRow> = [
  'entity_ref',
  'source',
  'dependency_key',
  'purl',
  'purl_base',
  'name',
  'version',
  'ecosystem',
  'licenses',
  'direct',
];

/**
 * Updates a stored finding that a scan reports changed. The first seen time
 * is kept; the fixed time is kept while it stays fixed and cleared when it
 * comes back. The reported status takes over; storeScan then re-applies the
 * waivers.
 */
const findingUpsertClause = upsertClause(['id'], findingColumnsUpdatedByScans, {
  fixed_at: `CASE WHEN excluded."status" = 'fixed' THEN COALESCE("findings"."fixed_at", excluded."fixed_at") ELSE NULL END`,
  waiver_id: 'NULL',
});

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
 * {@link ScorecardStore} on the plugin's SQL database (PostgreSQL or SQLite).
 *
 * @internal
 */
export class DatabaseScorecardStore implements ScorecardStore {
  static async create(options: {
    database: DatabaseService;
    sla?: SlaPolicy;
    clock?: () => Date;
  }): Promise<DatabaseScorecardStore> {
    return new DatabaseScorecardStore(
      await migratedDatabaseClient(options.database),
      options.sla ?? new SlaPolicy(),
      options.clock ?? (() => new Date()),
    );
  }

  private readonly isPostgres: boolean;

  private constructor(
    private readonly db: Knex,
    private readonly sla: SlaPolicy,
    private readonly clock: () => Date,
  ) {
    this.isPostgres = db.client.config.client === 'pg';
  }

  async storeScan(scan: NewScan): Promise<StoredScan> {
    const scanId = randomUUID();

    return this.db.transaction(async tx => {
      if (this.isPostgres) {
        // Scans of one entity and source are stored one after the other, also
        // across backend instances: each reads what the one before it wrote.
        // (SQLite has a single writer already.)
        await tx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
          `security-scorecards|${scan.entityRef}|${scan.source}`,
        ]);
      }
      // A failed scan changed nothing: the scan before it is the one replaced.
      const previousScan = await tx<RawScanRow>('scans')
        .where({
          entity_ref: scan.entityRef,
          source: scan.source,
          status: 'succeeded',
        })
        .orderBy('created_at', 'desc')
        .first('created_at', 'dependencies_sha256');
      // A scan is newer than the one it replaces, even within one millisecond,
      // so that "latest scan of a source" is always the one applied last.
      const previousScanTime = previousScan
        ? new Date(previousScan.created_at).getTime()
        : 0;
      const now =
        scan.scannedAt === undefined
          ? new Date(Math.max(this.clock().getTime(), previousScanTime + 1))
          : checkedScanTime(scan, previousScanTime, this.clock());

      const findings = await this.writeFindings(tx, scan, now);
      const lastSeenAt = previousScan ? new Date(previousScanTime) : now;
      const fixed = await this.fixMissingFindings(tx, scan, findings, {
        now,
        lastSeenAt,
      });
      const counts: ScanFindingCounts = { ...findings.counts, fixed };
      // A finding an active waiver covers stays waived when a scan reports it open.
      const waived = await applyActiveWaivers(tx, {
        entityRef: scan.entityRef,
        source: scan.source,
        now: this.clock(),
      });
      // The scan's open counts leave out what a waiver waived.
      const open =
        waived > 0 ? await this.openFindingCounts(tx, scan) : findings.open;

      const dependencies = await this.writeDependencies(
        tx,
        scan,
        previousScan?.dependencies_sha256 ?? null,
      );

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
        open_critical: open.critical,
        open_high: open.high,
        open_medium: open.medium,
        open_low: open.low,
        open_info: open.info,
        dependency_count: dependencies.count,
        findings_total: counts.total,
        findings_new: counts.new,
        findings_reopened: counts.reopened,
        findings_fixed: counts.fixed,
        findings_unchanged: counts.unchanged,
        findings_suppressed: counts.suppressed,
        dependencies_sha256: dependencies.sha256,
        categories: `,${[...findings.categories].sort().join(',')},`,
        status: 'succeeded',
        error: null,
      };
      await tx('scans').insert(
        requireFits(scanRow, SCAN_COLUMN_LIMITS, 'The report'),
      );

      return {
        scanId,
        findings: counts,
        dependencies: dependencies.count,
      };
    });
  }

  /**
   * Writes the findings of a scan a batch at a time, as the report is read:
   * new ones inserted, changed ones updated, unchanged ones only counted.
   * While the database writes one batch, the next one is read and prepared.
   * A fingerprint the scan repeats counts once, the first time.
   */
  private async writeFindings(
    tx: Knex.Transaction,
    scan: NewScan,
    now: Date,
  ): Promise<WrittenFindings> {
    const timestamp = timestampValue(this.db, now);
    const previous = await this.previousFindingCounts(tx, scan);
    const written: WrittenFindings = {
      counts: { total: 0, new: 0, reopened: 0, unchanged: 0, suppressed: 0 },
      open: emptySeverityCounts(),
      categories: new Set(scan.categories),
      reported: new Set(),
      previouslyUnfixed: previous.unfixed,
      previouslyUnfixedReported: 0,
    };
    // A first scan of a source only inserts: COPY on PostgreSQL.
    const writer = await openRowWriter(
      tx,
      'findings',
      findingColumns,
      previous.total === 0 ? '' : findingUpsertClause,
    );
    try {
      const batchSize =
        previous.total === 0 ? rowsPerInsertBatch : findingsPerBatch;
      for (const batch of batches(scan.findings, batchSize)) {
        const reported: Array<{ id: string; finding: NormalizedFinding }> = [];
        for (const finding of batch) {
          const id = findingIdOf(
            scan.entityRef,
            scan.source,
            finding.fingerprint,
          );
          if (written.reported.has(id)) continue;
          written.reported.add(id);
          written.categories.add(finding.category);
          if (finding.status === 'open') written.open[finding.severity] += 1;
          if (REPORT_SUPPRESSED_STATUSES.includes(finding.status)) {
            written.counts.suppressed += 1;
          }
          reported.push({ id, finding });
        }
        written.counts.total += reported.length;

        // Only new and changed findings are written: re-sending a report costs reads.
        const toWrite: FindingToWrite[] = [];
        const known =
          previous.total === 0
            ? new Map<string, PreviousFinding>()
            : await this.previousFindings(
                tx,
                reported.map(item => item.id),
              );
        for (const { id, finding } of reported) {
          const before = known.get(id);
          if (!before) {
            written.counts.new += 1;
          } else if (before.status === 'fixed' && finding.status !== 'fixed') {
            written.counts.reopened += 1;
          } else {
            written.counts.unchanged += 1;
          }
          if (before && before.status !== 'fixed') {
            written.previouslyUnfixedReported += 1;
          }
          const contentSha256 = hash('sha256', JSON.stringify(finding), 'hex');
          if (
            !before ||
            before.status !== finding.status ||
            before.contentSha256 !== contentSha256
          ) {
            toWrite.push({ id, contentSha256, finding });
          }
        }
        if (toWrite.length > 0) {
          // Sorted ids make the primary key index grow in order, not at random places.
          toWrite.sort((a, b) => (a.id < b.id ? -1 : 1));
          await writer.write(
            toWrite.map(item => toFindingRow(scan, timestamp, item)),
          );
        }
      }
      await writer.finish();
    } catch (error) {
      await writer.abort(error as Error);
      throw error;
    }
    return written;
  }

  /** The open findings of an entity's source by severity: after a scan, its open findings. */
  private async openFindingCounts(
    tx: Knex.Transaction,
    scan: NewScan,
  ): Promise<SeverityCounts> {
    const counts = emptySeverityCounts();
    const rows: Array<{ severity: Severity; count: string | number }> =
      await tx('findings')
        .where({
          entity_ref: scan.entityRef,
          source: scan.source,
          status: 'open',
        })
        .groupBy('severity')
        .select('severity')
        .count({ count: '*' });
    for (const row of rows) counts[row.severity] = Number(row.count);
    return counts;
  }

  /** How many findings the entity's source has stored, and how many of them are not fixed. */
  private async previousFindingCounts(
    tx: Knex.Transaction,
    scan: NewScan,
  ): Promise<{ total: number; unfixed: number }> {
    const row = await tx('findings')
      .where({ entity_ref: scan.entityRef, source: scan.source })
      .select(
        tx.raw('count(*) as total'),
        tx.raw(
          `coalesce(sum(case when status <> 'fixed' then 1 else 0 end), 0) as unfixed`,
        ),
      )
      .first();
    return {
      total: Number(row?.total ?? 0),
      unfixed: Number(row?.unfixed ?? 0),
    };
  }

  /** The stored state of the findings with these ids, by id. */
  private async previousFindings(
    tx: Knex.Transaction,
    ids: string[],
  ): Promise<Map<string, PreviousFinding>> {
    const known = new Map<string, PreviousFinding>();
    if (ids.length === 0) return known;
    const rows: Array<
      Pick<RawFindingRow, 'id' | 'status' | 'content_sha256' | 'waiver_id'>
    > = await whereInValues(tx, tx('findings'), 'id', ids, 'uuid').select(
      'id',
      'status',
      'content_sha256',
      'waiver_id',
    );
    for (const row of rows) {
      known.set(row.id, {
        // Waived by a waiver, not by its report: unchanged while reported open.
        status: row.waiver_id ? 'open' : row.status,
        contentSha256: row.content_sha256,
      });
    }
    return known;
  }

  /**
   * Marks fixed what the previous scans reported and this one does not; the
   * previous scan was the last to see it. Returns how many. When every
   * finding that was not fixed was reported again, nothing is read.
   */
  private async fixMissingFindings(
    tx: Knex.Transaction,
    scan: NewScan,
    written: WrittenFindings,
    times: { now: Date; lastSeenAt: Date },
  ): Promise<number> {
    if (written.previouslyUnfixed === written.previouslyUnfixedReported) {
      return 0;
    }
    const unfixed: Array<{ id: string }> = await tx('findings')
      .where({ entity_ref: scan.entityRef, source: scan.source })
      .whereNot('status', 'fixed')
      .select('id');
    const missingIds = unfixed
      .map(row => row.id)
      .filter(id => !written.reported.has(id));
    for (const ids of batches(missingIds, findingsPerBatch)) {
      await whereInValues(tx, tx('findings'), 'id', ids, 'uuid').update({
        status: 'fixed',
        suppressed_in_report: false,
        fixed_at: times.now,
        last_seen_at: times.lastSeenAt,
      });
    }
    return missingIds.length;
  }

  /**
   * Replaces the source's dependencies when they changed: a first pass over
   * them hashes them, a second writes them only when the hash differs from
   * the previous scan's.
   */
  private async writeDependencies(
    tx: Knex.Transaction,
    scan: NewScan,
    previousSha256: string | null,
  ): Promise<{ count: number; sha256: string }> {
    const dependencyHash = createHash('sha256');
    let count = 0;
    for (const row of uniqueDependencyRows(scan)) {
      dependencyHash.update(JSON.stringify(row));
      dependencyHash.update('\n');
      count += 1;
    }
    const sha256 = dependencyHash.digest('hex');
    if (sha256 !== previousSha256) {
      await tx<RawDependencyRow>('dependencies')
        .where({ entity_ref: scan.entityRef, source: scan.source })
        .delete();
      // Nothing of the source is left to conflict with: COPY on PostgreSQL.
      const writer = await openRowWriter(
        tx,
        'dependencies',
        dependencyColumns,
        '',
      );
      try {
        for (const batch of batches(
          uniqueDependencyRows(scan),
          rowsPerInsertBatch,
        )) {
          await writer.write(batch);
        }
        await writer.finish();
      } catch (error) {
        await writer.abort(error as Error);
        throw error;
      }
    }
    return { count, sha256 };
  }

  async storeFailedScan(scan: NewFailedScan): Promise<string> {
    const scanId = randomUUID();
    const none = 0;
    const scanRow: RawScanRow = {
      id: scanId,
      entity_ref: scan.entityRef,
      source: scan.source,
      format: scan.format,
      scanner: scan.scanner,
      scanner_version: null,
      commit_sha: scan.commit ?? null,
      branch: scan.branch ?? null,
      created_by: scan.createdBy,
      created_at: this.clock(),
      open_critical: none,
      open_high: none,
      open_medium: none,
      open_low: none,
      open_info: none,
      dependency_count: none,
      findings_total: none,
      findings_new: none,
      findings_reopened: none,
      findings_fixed: none,
      findings_unchanged: none,
      findings_suppressed: none,
      dependencies_sha256: null,
      categories: ',,',
      status: 'failed',
      error: scan.error.slice(0, MAX_SCAN_ERROR_LENGTH),
    };
    await this.db('scans').insert(scanRow);
    return scanId;
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
    const filtered = this.db<RawFindingRow>('findings').where(
      'findings.entity_ref',
      query.entityRef,
    );
    if (query.statuses?.length && query.orSuppressedInReport) {
      const statuses = query.statuses;
      filtered.where(inner =>
        inner
          .whereIn('findings.status', statuses)
          .orWhere('findings.suppressed_in_report', true),
      );
    } else if (query.statuses?.length) {
      filtered.whereIn('findings.status', query.statuses);
    }
    if (query.severities?.length) {
      filtered.whereIn('findings.severity', query.severities);
    }
    if (query.categories?.length) {
      filtered.whereIn('findings.category', query.categories);
    }
    if (query.scanners?.length) {
      filtered.whereIn('findings.scanner', query.scanners);
    }
    if (query.slaStates?.length) {
      this.whereSlaStateIn(filtered, query.slaStates);
    }
    if (query.sources?.length) {
      filtered.whereIn('findings.source', query.sources);
    }
    if (query.suppressedInReport !== undefined) {
      filtered.where('findings.suppressed_in_report', query.suppressedInReport);
    }
    if (query.firstSeenSince) {
      filtered.where(
        'findings.first_seen_at',
        '>=',
        timestampValue(this.db, query.firstSeenSince),
      );
    }
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
          inner.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [
            `findings.${column}`,
            pattern,
          ]);
        }
      });
    }

    const [{ count }] = await filtered
      .clone()
      .count<Array<{ count: string | number }>>({ count: '*' });

    // A finding that is not fixed was seen by the latest scan of its source.
    const latestScans = this.db<RawScanRow>('scans')
      .where({ entity_ref: query.entityRef, status: 'succeeded' })
      .groupBy('source')
      .select('source')
      .max({ latest_scan_at: 'created_at' })
      .as('latest_scans');
    const lastSeenAt = this.db.raw(
      `CASE WHEN findings.status <> 'fixed' AND latest_scans.latest_scan_at IS NOT NULL
        THEN latest_scans.latest_scan_at ELSE findings.last_seen_at END`,
    );
    const pageQuery = filtered
      .leftJoin(latestScans, 'latest_scans.source', 'findings.source')
      .select('findings.*', { seen_at: lastSeenAt });

    // Severity sorts by rank, where 0 is critical: "desc" means most severe first.
    if (query.orderBy === 'lastSeenAt') {
      pageQuery.orderByRaw(`seen_at ${query.order}`);
    } else if (query.orderBy === 'severity') {
      pageQuery.orderBy('findings.severity_rank', flipOrder(query.order));
    } else {
      pageQuery.orderBy(
        `findings.${findingOrderColumns[query.orderBy]}`,
        query.order,
      );
    }
    const page: Array<RawFindingRow & { seen_at: Date | string | number }> =
      await pageQuery
        .orderBy([
          { column: 'findings.severity_rank', order: 'asc' },
          { column: 'findings.id', order: 'asc' },
        ])
        .limit(query.limit)
        .offset(query.offset);
    const now = this.clock();
    return {
      items: page.map(row => this.withSla(toFinding(row, row.seen_at), now)),
      totalCount: Number(count),
    };
  }

  /**
   * Restricts a findings query to open findings in the given SLA states: a
   * comparison of `first_seen_at` with the cut-offs of the finding's SLA
   * severity.
   */
  private whereSlaStateIn(query: Knex.QueryBuilder, states: SlaState[]) {
    const now = this.clock();
    const breached = slaCutoffSql(
      this.db,
      this.sla,
      now,
      'breachedBefore',
      'findings',
    );
    const dueSoon = slaCutoffSql(
      this.db,
      this.sla,
      now,
      'dueSoonBefore',
      'findings',
    );
    query.where('findings.status', 'open').where(outer => {
      if (states.includes('breached')) {
        outer.orWhereRaw(
          `findings.first_seen_at < ${breached.sql}`,
          breached.bindings,
        );
      }
      if (states.includes('due-soon')) {
        outer.orWhereRaw(
          `findings.first_seen_at >= ${breached.sql} AND findings.first_seen_at < ${dueSoon.sql}`,
          [...breached.bindings, ...dueSoon.bindings],
        );
      }
      if (states.includes('within')) {
        outer.orWhereRaw(
          `findings.first_seen_at >= ${dueSoon.sql}`,
          dueSoon.bindings,
        );
      }
    });
  }

  /** Adds the due date and SLA state of an open or waived finding. */
  private withSla(finding: Finding, now: Date): Finding {
    if (finding.status !== 'open' && finding.status !== 'waived') {
      return finding;
    }
    const dueAt = this.sla.dueAt(
      finding.severity,
      finding.knownExploited,
      new Date(finding.firstSeenAt),
    );
    if (!dueAt) return finding;
    return {
      ...finding,
      dueAt: dueAt.toISOString(),
      ...(finding.status === 'open'
        ? { slaState: this.sla.state(dueAt, now) }
        : {}),
    };
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

/**
 * The id of a finding: a UUID made from a SHA-256 of its entity, source and
 * fingerprint, so the same finding keeps its id across scans and re-uploads.
 */
export function findingIdOf(
  entityRef: string,
  source: string,
  fingerprint: string,
): string {
  const hex = hash(
    'sha256',
    `${entityRef}\u0000${source}\u0000${fingerprint}`,
    'hex',
  );
  // Version 8 (custom) and the RFC 9562 variant, so it is a well-formed UUID.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(
    13,
    16,
  )}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function flipOrder(order: 'asc' | 'desc'): 'asc' | 'desc' {
  return order === 'asc' ? 'desc' : 'asc';
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, character => `\\${character}`);
}

/**
 * Refuses a row whose value does not fit its column with a 400 naming the
 * field, before anything is written: PostgreSQL would otherwise fail the
 * statement with a 500, and SQLite would store what PostgreSQL cannot.
 * Within an upload's transaction the whole upload rolls back.
 */
function requireFits<R extends object>(
  row: R,
  limits: Partial<Record<keyof R, number>>,
  what: string,
): R {
  for (const [column, limit] of Object.entries(limits) as Array<
    [keyof R & string, number]
  >) {
    const value = row[column];
    if (typeof value === 'string' && value.length > limit) {
      throw new InputError(
        `${what} has a ${column} of ${value.length} characters; at most ${limit} are accepted`,
      );
    }
  }
  return row;
}

function toFindingRow(
  scan: NewScan,
  now: string | number,
  { id, contentSha256, finding }: FindingToWrite,
): RawFindingRow {
  const line = finding.location?.line;
  if (line !== undefined && line > MAX_INTEGER_COLUMN) {
    throw new InputError(
      `A finding of rule ${finding.ruleId.slice(
        0,
        100,
      )} is at line ${line}; lines above ${MAX_INTEGER_COLUMN} are not accepted`,
    );
  }
  return requireFits(
    {
      id,
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
      suppressed_in_report: REPORT_SUPPRESSED_STATUSES.includes(finding.status),
      secret_redacted: finding.secret?.redacted ?? null,
      secret_sha256: finding.secret?.sha256 ?? null,
      epss: finding.epss ?? null,
      known_exploited: finding.knownExploited ?? false,
      references: JSON.stringify(finding.references ?? []),
      first_seen_at: now,
      last_seen_at: now,
      fixed_at: finding.status === 'fixed' ? now : null,
      content_sha256: contentSha256,
    },
    FINDING_COLUMN_LIMITS,
    `A finding of rule ${finding.ruleId.slice(0, 100)}`,
  );
}

/** The dependency rows of a scan, the first of each package. */
function* uniqueDependencyRows(scan: NewScan): Generator<RawDependencyRow> {
  const seen = new Set<string>();
  for (const dependency of scan.dependencies) {
    const row = toDependencyRow(scan, dependency);
    if (seen.has(row.dependency_key)) continue;
    seen.add(row.dependency_key);
    yield row;
  }
}

function toDependencyRow(
  scan: NewScan,
  dependency: NormalizedDependency,
): RawDependencyRow {
  return requireFits(
    {
      entity_ref: scan.entityRef,
      source: scan.source,
      dependency_key: dependencyKey(dependency),
      purl: dependency.purl ?? null,
      purl_base: dependency.purl ? purlWithoutVersion(dependency.purl) : null,
      name: dependency.name,
      version: dependency.version ?? null,
      ecosystem: dependency.ecosystem ?? null,
      licenses: JSON.stringify(dependency.licenses),
      direct: dependency.direct ?? null,
    },
    DEPENDENCY_COLUMN_LIMITS,
    `The dependency ${dependency.name.slice(0, 100)}`,
  );
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
    status: row.status,
    ...(row.error ? { error: row.error } : {}),
    findings: {
      total: Number(row.findings_total),
      new: Number(row.findings_new),
      reopened: Number(row.findings_reopened),
      fixed: Number(row.findings_fixed),
      unchanged: Number(row.findings_unchanged),
      suppressed: Number(row.findings_suppressed),
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

function toFinding(
  row: RawFindingRow,
  lastSeenAt: Date | string | number,
): Finding {
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
    lastSeenAt: toTimestamp(lastSeenAt),
    ...(row.fixed_at !== null ? { fixedAt: toTimestamp(row.fixed_at) } : {}),
    ...(row.waiver_id ? { waiverId: row.waiver_id } : {}),
    ...(row.suppressed_in_report ? { suppressedInReport: true } : {}),
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

/**
 * The time of a scan sent with `scannedAt` (e.g. a backfill of older
 * reports): not in the future, and after the latest scan of its entity and
 * source, so that the latest scan is still the one applied last.
 */
function checkedScanTime(
  scan: NewScan,
  previousScanTime: number,
  now: Date,
): Date {
  const scannedAt = scan.scannedAt!;
  if (scannedAt.getTime() > now.getTime()) {
    throw new InputError(
      `scannedAt ${scannedAt.toISOString()} is in the future`,
    );
  }
  if (scannedAt.getTime() <= previousScanTime) {
    throw new InputError(
      `scannedAt ${scannedAt.toISOString()} must be after the latest scan of ${
        scan.entityRef
      } from source ${scan.source}, at ${new Date(
        previousScanTime,
      ).toISOString()}`,
    );
  }
  return scannedAt;
}
