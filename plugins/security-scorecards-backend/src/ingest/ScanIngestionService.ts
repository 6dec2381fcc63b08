import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { IngestScanResponse } from '@secdevops/plugin-security-scorecards-common';
import {
  parseReport,
  ReportFormat,
} from '@secdevops/plugin-security-scorecards-node';
import { Entity } from '@backstage/catalog-model';
import { ScorecardStore } from '../database/ScorecardStore';
import { principalRefOf } from '../service/principal';
import { scanCategories } from './scanCategories';

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
      catalog: CatalogService;
      maxBodyBytes: number;
      /** Called after a scan is stored, e.g. to re-evaluate the entity's scorecard. */
      onScanStored?: (entity: Entity) => Promise<void>;
    },
  ) {}

  async ingest(upload: ScanUpload): Promise<IngestScanResponse> {
    const entity = await this.options.catalog.getEntityByRef(upload.entityRef, {
      credentials: upload.credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${upload.entityRef} in the catalog: register it before sending its scans`,
      );
    }

    const report = parseReport(upload.body, {
      format: upload.format,
      contentEncoding: upload.contentEncoding,
      maxBytes: this.options.maxBodyBytes,
    });

    const stored = await this.options.store.storeScan({
      entityRef: upload.entityRef,
      source: upload.source ?? report.scanner,
      format: report.format,
      scanner: report.scanner,
      scannerVersion: report.scannerVersion,
      commit: upload.commit,
      branch: upload.branch,
      createdBy: principalRefOf(upload.credentials),
      categories: scanCategories(report),
      findings: report.findings,
      dependencies: report.dependencies,
    });

    await this.options.onScanStored?.(entity);

    return {
      scanId: stored.scanId,
      entityRef: upload.entityRef,
      format: report.format,
      scanner: report.scanner,
      findings: stored.findings,
      dependencies: stored.dependencies,
    };
  }
}

/** Who sent a scan: the user's entity ref, or the service's subject. */
