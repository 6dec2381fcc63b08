import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { IngestScanResponse } from '@secdevops/plugin-security-scorecards-common';
import {
  readReport,
  ReportFormat,
  StreamedReport,
} from '@secdevops/plugin-security-scorecards-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
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
  body: Buffer;
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
}

/**
 * Turns uploaded reports into stored scans: checks the entity, parses the
 * report and stores it as the latest scan of its source.
 *
 * @internal
 */
export class ScanIngestionService {
  constructor(
    private readonly options: {
      store: ScorecardStore;
      entities: EntityLookup;
      maxBodyBytes: number;
      /** Called after a scan is stored, e.g. to re-evaluate the entity's scorecard. */
      onScanStored?: (entity: Entity) => Promise<void>;
    },
  ) {}

  async ingest(upload: ScanUpload): Promise<IngestScanResponse> {
    const entity = await this.options.entities.require(
      upload.entityRef,
      'register it before sending its scans',
    );

    // The findings are read as they are stored, a batch at a time.
    const report = readReport(upload.body, {
      format: upload.format,
      contentEncoding: upload.contentEncoding,
      maxBytes: this.options.maxBodyBytes,
    });

    return this.storeReport(entity, report, {
      source: upload.source ?? report.scanner,
      commit: upload.commit,
      branch: upload.branch,
      scannedAt: upload.scannedAt,
      createdBy: principalRefOf(upload.credentials),
    });
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
}
