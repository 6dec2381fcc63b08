import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import { IngestScanResponse } from '@secdevops/plugin-security-scorecards-common';
import {
  FailedScanError,
  readReport,
  ReportFormat,
  StreamedReport,
} from '@secdevops/plugin-security-scorecards-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Request } from 'express';
import { EntityLookup } from '../catalog/EntityLookup';
import { ScorecardStore } from '../database/ScorecardStore';
import { principalRefOf } from '../service/principal';
import { scanCoverage } from './scanCoverage';

/**
 * An uploaded report, as received.
 *
 * @internal
 */
export interface ScanUpload {
  entityRef: string;
  /** The report, or how to read it: read after the source and entity are checked. */
  body: Buffer | (() => Promise<Buffer>);
  format: ReportFormat | 'auto';
  contentEncoding?: string;
  /** The scope the scan replaces; default: the scanner's name. */
  source?: string;
  commit?: string;
  branch?: string;
  /** When the scan ran, when it is sent later; default now. */
  scannedAt?: Date;
  /** A user or a service, as the router authenticated them. */
  credentials: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >;
  /** The HTTP request it came in, for the auditor. */
  request?: Request;
}

/**
 * A report whose scanner did not finish (a {@link FailedScanError} of the
 * parser), after it was recorded as a failed scan. The router answers it
 * with HTTP 422.
 *
 * @internal
 */
export class FailedScanRecordedError extends FailedScanError {
  constructor(
    cause: FailedScanError,
    /** The failed scan in the scan history. */
    readonly scanId: string,
  ) {
    super(cause.message, cause.reason, cause.tool);
  }
}

/** The id of the built-in collector of report URLs; its scans are `url:<url>`. */
const URL_SOURCE_ID = 'url';

/**
 * The id of the collector that owns a scan source: its own id, or its id
 * followed by a colon (`url:https://…`), for collectors that store several.
 */
export function collectorOwning(
  source: string,
  collectorIds: Iterable<string>,
): string | undefined {
  for (const id of collectorIds) {
    if (source === id || source.startsWith(`${id}:`)) return id;
  }
  return undefined;
}

/**
 * Turns uploaded reports into stored scans: checks the entity, parses the
 * report and stores it as the latest scan of its source.
 *
 * @internal
 */
export class ScanIngestionService {
  private readonly reservedSources: string[];

  constructor(
    private readonly options: {
      store: ScorecardStore;
      entities: EntityLookup;
      maxBodyBytes: number;
      /** Called after a scan is stored, e.g. to re-evaluate the entity's scorecard. */
      onScanStored?: (entity: Entity) => Promise<void>;
      /**
       * Ids of the pull collectors (finding sources of modules); with `url`,
       * the scan sources (and `<id>:` prefixes) uploads may not use, so that
       * an upload cannot replace, and so fix, what a collector collected.
       */
      collectorIds?: string[];
      /** Hashes detected secrets; see `createSecretHasher`. */
      hashSecret?: (secret: string) => string;
      /** Records every upload as a `scan-create` event. */
      auditor?: AuditorService;
    },
  ) {
    this.reservedSources = [
      ...new Set([URL_SOURCE_ID, ...(options.collectorIds ?? [])]),
    ];
  }

  /**
   * Parses an uploaded report and stores it as the latest scan of its
   * source, as one auditor event.
   *
   * @throws InputError when the source is one a collector owns
   * @throws FailedScanRecordedError when the report says its scanner failed
   */
  async ingest(upload: ScanUpload): Promise<IngestScanResponse> {
    const audit = await this.options.auditor?.createEvent({
      eventId: 'scan-create',
      severityLevel: 'medium',
      ...(upload.request ? { request: upload.request } : {}),
      meta: {
        entityRef: upload.entityRef,
        format: upload.format,
        ...(upload.source !== undefined ? { source: upload.source } : {}),
        actor: principalRefOf(upload.credentials),
      },
    });
    try {
      const { source, ...result } = await this.ingestUnaudited(upload);
      await audit?.success({
        meta: {
          scanId: result.scanId,
          entityRef: result.entityRef,
          source,
          format: result.format,
          scanner: result.scanner,
          new: result.findings.new,
          reopened: result.findings.reopened,
          fixed: result.findings.fixed,
          reportSuppressed: result.findings.suppressed,
          total: result.findings.total,
        },
      });
      return result;
    } catch (error) {
      await audit?.fail({
        error: isError(error) ? error : new Error(String(error)),
        ...(error instanceof FailedScanRecordedError
          ? { meta: { scanId: error.scanId } }
          : {}),
      });
      throw error;
    }
  }

  private async ingestUnaudited(
    upload: ScanUpload,
  ): Promise<IngestScanResponse & { source: string }> {
    this.checkSourceIsFree(upload.source);
    const entity = await this.options.entities.require(
      upload.entityRef,
      'register it before sending its scans',
    );
    const scan = {
      commit: upload.commit,
      branch: upload.branch,
      scannedAt: upload.scannedAt,
      createdBy: principalRefOf(upload.credentials),
    };
    const body =
      typeof upload.body === 'function' ? await upload.body() : upload.body;
    let source = upload.source;
    try {
      // The findings are read as they are stored, a batch at a time.
      const report = readReport(body, {
        format: upload.format,
        contentEncoding: upload.contentEncoding,
        maxBytes: this.options.maxBodyBytes,
        ...(this.options.hashSecret
          ? { hashSecret: this.options.hashSecret }
          : {}),
      });
      source ??= report.scanner;
      this.checkSourceIsFree(source);
      const stored = await this.storeReport(entity, report, {
        ...scan,
        source,
      });
      return { ...stored, source };
    } catch (error) {
      if (!isFailedScan(error)) throw error;
      // Nothing was changed (a throw while the findings are read rolls the
      // scan back); the failure goes into the scan history.
      const scanner = error.tool ?? source ?? upload.format;
      const scanId = await this.options.store.storeFailedScan({
        entityRef: stringifyEntityRef(entity),
        source: source ?? scanner,
        format: upload.format,
        scanner,
        commit: scan.commit,
        branch: scan.branch,
        createdBy: scan.createdBy,
        error: error.reason ?? error.message,
      });
      throw new FailedScanRecordedError(error, scanId);
    }
  }

  /**
   * Stores a parsed report as the latest scan of an entity and source, and
   * lets the scorecard know. Uploads and pull collectors both end here.
   */
  async storeReport(
    entity: Entity,
    report: StreamedReport,
    scan: {
      source: string;
      createdBy: string;
      commit?: string;
      branch?: string;
      scannedAt?: Date;
    },
  ): Promise<IngestScanResponse> {
    const entityRef = stringifyEntityRef(entity);
    const stored = await this.options.store.storeScan({
      entityRef,
      source: scan.source,
      format: report.format,
      scanner: report.scanner,
      scannerVersion: report.scannerVersion,
      commit: scan.commit,
      branch: scan.branch,
      scannedAt: scan.scannedAt,
      createdBy: scan.createdBy,
      categories: scanCoverage(report),
      findings: report.findings,
      dependencies: report.dependencies,
    });

    await this.options.onScanStored?.(entity);

    return {
      scanId: stored.scanId,
      entityRef,
      format: report.format,
      scanner: report.scanner,
      findings: stored.findings,
      dependencies: stored.dependencies,
    };
  }

  /** Refuses an upload to a source a collector owns. */
  private checkSourceIsFree(source: string | undefined): void {
    if (source === undefined) return;
    const owner = collectorOwning(source, this.reservedSources);
    if (owner === undefined) return;
    throw new InputError(
      `Scan source '${source}' is reserved for the finding source '${owner}', which collects it itself; upload under another source (reserved: ${this.reservedSources
        .map(id => `${id}, ${id}:…`)
        .join(', ')})`,
    );
  }
}

/** A parser's FailedScanError, also from another copy of the -node package. */
function isFailedScan(error: unknown): error is FailedScanError {
  return (
    error instanceof FailedScanError ||
    (isError(error) && error.name === 'FailedScanError')
  );
}
