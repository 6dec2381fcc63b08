import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  serializeError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DependencyListResponse,
  DependencyUsageResponse,
  FINDING_CATEGORIES,
  FINDING_ORDER_FIELDS,
  FINDING_STATUSES,
  FindingListResponse,
  GateResult,
  ScanListResponse,
  SEVERITIES,
  SLA_STATES,
  securityScorecardsFindingsReadPermission,
  securityScorecardsScanCreatePermission,
} from '@secdevops/plugin-security-scorecards-common';
import {
  isReportFormat,
  REPORT_FORMATS,
  ReportTooLargeError,
} from '@secdevops/plugin-security-scorecards-node';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import { ScorecardStore } from '../database/ScorecardStore';
import {
  FailedScanRecordedError,
  ScanIngestionService,
} from '../ingest/ScanIngestionService';
import { ownerRefOf } from '../catalog/CatalogEntityCache';
import { EntityLookup } from '../catalog/EntityLookup';
import { GateService } from '../gate/GateService';
import { withoutViolationDetails } from '../gate/violationDetails';
import { parseGateRequest } from '../gate/policy';
import { ScorecardService } from '../scorecards/ScorecardService';
import { principalRefOf } from './principal';
import { RouteAuthorization } from './authorization';
import { UploadSlots } from './UploadSlots';
import { addScorecardRoutes } from './scorecardRoutes';
import { addSourceRoutes } from './sourceRoutes';
import { CollectorService } from '../collect/CollectorService';
import { addWaiverRoutes } from './waiverRoutes';
import { WaiverService } from '../waivers/WaiverService';
import { addEscalationRoutes } from './escalationRoutes';
import { EscalationService } from '../escalation/EscalationService';
import {
  entityRefParameter,
  integerParameter,
  listParameter,
  oneOfParameter,
  optionalStringParameter,
  timeParameter,
} from './parameters';

const maximumPageSize = 500;

/** What `Retry-After` asks of an upload refused because all slots are taken. */
const UPLOAD_RETRY_AFTER_SECONDS = 5;

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Entity lookups after authorization, with the plugin's credentials. */
  entities: EntityLookup;
  scorecardStore: ScorecardStore;
  scanIngestion: ScanIngestionService;
  /** The largest request body accepted on uploads, in bytes. */
  maxBodyBytes: number;
  /** Uploads read at once; more are answered 503 with `Retry-After`. */
  maxConcurrentUploads: number;
  /** Ids of the finding sources that backend modules added. */
  findingSourceIds: string[];
  scorecards: ScorecardService;
  gates: GateService;
  /** Pull collectors; without them, no collector routes or statuses. */
  collectors?: CollectorService;
  waivers: WaiverService;
  /** SLA escalations; without it, GET /escalations is not served. */
  escalations?: EscalationService;
}

/** Answers an oversized upload with 413 in Backstage's error body format. */
const reportTooLargeHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (!(error instanceof ReportTooLargeError)) {
    next(error);
    return;
  }
  // The rest of an oversized body is not read; close the connection after answering.
  res.setHeader('Connection', 'close');
  res.status(413).json({
    error: serializeError(error),
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: 413 },
  });
};

/**
 * Answers a report whose scanner did not finish with 422 in Backstage's
 * error body format: the error names the scanner's reason and the failed
 * scan recorded in the history.
 */
const failedScanHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (!(error instanceof FailedScanRecordedError)) {
    next(error);
    return;
  }
  res.status(422).json({
    error: serializeError(error),
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: 422 },
  });
};

/**
 * Translates HTTP requests into store and service calls. The contract is
 * `src/schema/openapi.yaml`.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    entities,
    scorecardStore,
    scanIngestion,
    maxBodyBytes,
    findingSourceIds,
    scorecards,
    gates,
  } = options;
  const router = Router();
  const uploadSlots = new UploadSlots(options.maxConcurrentUploads);

  const authorization = new RouteAuthorization(permissions);
  const authorizeOnEntity = authorization.requireOnEntity.bind(authorization);

  // Unauthenticated (see plugin.ts), so it says nothing about the installation.
  router.get('/health', async (_req, res) => {
    await scorecardStore.checkConnection();
    res.json({ status: 'ok' });
  });

  router.get('/sources', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: findingSourceIds.map(id => ({ id })) });
  });

  router.post('/scans', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    const format = optionalStringParameter(req, 'format') ?? 'auto';
    const scannedAt = timeParameter(req, 'scannedAt');
    if (!isReportFormat(format)) {
      throw new InputError(
        `Query parameter format must be auto or one of ${REPORT_FORMATS.join(
          ', ',
        )}; got '${format}'`,
      );
    }
    await authorizeOnEntity(
      securityScorecardsScanCreatePermission,
      entityRef,
      credentials,
    );
    // Refused before the body is read: a waiting upload would hold it too.
    const releaseSlot = uploadSlots.tryTake();
    if (!releaseSlot) {
      res.setHeader('Retry-After', String(UPLOAD_RETRY_AFTER_SECONDS));
      res.setHeader('Connection', 'close');
      throw new ServiceUnavailableError(
        `The backend is reading ${uploadSlots.limit} uploads already, as many as securityScorecards.ingest.maxConcurrentUploads allows; retry in ${UPLOAD_RETRY_AFTER_SECONDS} seconds`,
      );
    }
    try {
      const result = await scanIngestion.ingest({
        entityRef,
        // Read once the source and the entity are checked.
        body: () => readRequestBody(req, maxBodyBytes),
        format,
        contentEncoding: req.header('content-encoding'),
        source: optionalStringParameter(req, 'source'),
        commit: optionalStringParameter(req, 'commit'),
        branch: optionalStringParameter(req, 'branch'),
        scannedAt,
        credentials,
        request: req,
      });
      res.status(201).json(result);
    } finally {
      // Also when the client went away mid-body: reading it then throws.
      releaseSlot();
    }
  });

  router.get('/scans', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    const limit = integerParameter(req, 'limit', 50, 1, maximumPageSize);
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      entityRef,
      credentials,
    );
    const [items, collectors] = await Promise.all([
      scorecardStore.listScans({ entityRef, limit }),
      options.collectors?.statuses(entityRef) ?? [],
    ]);
    const response: ScanListResponse = { items, collectors };
    res.json(response);
  });

  router.get('/findings', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    const suppressedInReport = oneOfParameter(req, 'suppressedInReport', [
      'true',
      'false',
    ] as const);
    const query = {
      entityRef,
      statuses: listParameter(req, 'status', FINDING_STATUSES),
      suppressedInReport:
        suppressedInReport === undefined
          ? undefined
          : suppressedInReport === 'true',
      severities: listParameter(req, 'severity', SEVERITIES),
      categories: listParameter(req, 'category', FINDING_CATEGORIES),
      scanners: listParameter(req, 'scanner'),
      slaStates: listParameter(req, 'slaState', SLA_STATES),
      text: optionalStringParameter(req, 'q'),
      orderBy:
        oneOfParameter(req, 'orderBy', FINDING_ORDER_FIELDS) ?? 'severity',
      order: oneOfParameter(req, 'order', ['asc', 'desc'] as const) ?? 'desc',
      limit: integerParameter(req, 'limit', 50, 1, maximumPageSize),
      offset: integerParameter(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    };
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      entityRef,
      credentials,
    );
    const response: FindingListResponse = await scorecardStore.listFindings(
      query,
    );
    res.json(response);
  });

  router.get('/dependencies', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    const vulnerable = oneOfParameter(req, 'vulnerable', [
      'true',
      'false',
    ] as const);
    const query = {
      entityRef,
      text: optionalStringParameter(req, 'q'),
      vulnerable: vulnerable === undefined ? undefined : vulnerable === 'true',
      limit: integerParameter(req, 'limit', 100, 1, maximumPageSize),
      offset: integerParameter(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    };
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      entityRef,
      credentials,
    );
    const response: DependencyListResponse =
      await scorecardStore.listDependencies(query);
    res.json(response);
  });

  router.get('/dependencies/usage', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const purl = optionalStringParameter(req, 'purl');
    if (!purl || !/^pkg:[a-zA-Z0-9.+-]+\/.+/.test(purl)) {
      throw new InputError(
        'Query parameter purl is required and must be a package URL, e.g. purl=pkg:npm/lodash or pkg:npm/lodash@4.17.20',
      );
    }
    const usages = await scorecardStore.findDependencyUsage(purl);

    // Only entities the caller may read findings of are shown.
    const decisions = await permissions.authorize(
      usages.map(usage => ({
        permission: securityScorecardsFindingsReadPermission,
        resourceRef: usage.entityRef,
      })),
      { credentials },
    );
    const visible = usages.filter(
      (_usage, index) => decisions[index].result === AuthorizeResult.ALLOW,
    );
    const entityRefs = [...new Set(visible.map(usage => usage.entityRef))];
    const owners = await entities.getMany(entityRefs, [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'spec.owner',
    ]);
    const ownerByEntityRef = new Map<string, string>();
    owners.forEach((entity, index) => {
      const owner = entity && ownerRefOf(entity);
      if (owner) ownerByEntityRef.set(entityRefs[index], owner);
    });
    const response: DependencyUsageResponse = {
      items: visible.map(usage => ({
        ...usage,
        ...(ownerByEntityRef.has(usage.entityRef)
          ? { owner: ownerByEntityRef.get(usage.entityRef) }
          : {}),
      })),
    };
    res.json(response);
  });

  router.post('/gates', express.json({ limit: '1mb' }), async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    const gateRequest = parseGateRequest(req.body ?? {});
    await authorizeOnEntity(
      securityScorecardsScanCreatePermission,
      entityRef,
      credentials,
    );
    // Running a gate needs only scan.create, as CI tokens have; the findings
    // that broke a rule are shown to those who may read them.
    const mayReadFindings = await authorization.isAllowedOnEntity(
      securityScorecardsFindingsReadPermission,
      entityRef,
      credentials,
    );
    const entity = await entities.require(entityRef);
    const result: GateResult = await gates.run(
      entity,
      gateRequest,
      principalRefOf(credentials),
    );
    res
      .status(201)
      .json(mayReadFindings ? result : withoutViolationDetails(result));
  });

  router.get('/gates', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    const limit = integerParameter(req, 'limit', 20, 1, maximumPageSize);
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      entityRef,
      credentials,
    );
    res.json({ items: await gates.list(entityRef, limit) });
  });

  addScorecardRoutes(router, { httpAuth, permissions, scorecards });
  if (options.collectors) {
    addSourceRoutes(router, {
      httpAuth,
      permissions,
      entities,
      collectors: options.collectors,
    });
  }
  addWaiverRoutes(router, options);
  if (options.escalations) {
    addEscalationRoutes(router, {
      httpAuth,
      permissions,
      escalations: options.escalations,
    });
  }

  router.use(reportTooLargeHandler);
  router.use(failedScanHandler);
  return router;
}

/**
 * Reads a request body into memory, refusing more than the limit as soon as
 * the declared length or the bytes received pass it.
 */
async function readRequestBody(
  req: Request,
  maxBytes: number,
): Promise<Buffer> {
  const declaredLength = Number(req.header('content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    throw new ReportTooLargeError(
      `The request body is ${declaredLength} bytes, more than the limit of ${maxBytes}`,
    );
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    received += chunk.length;
    if (received > maxBytes) {
      throw new ReportTooLargeError(
        `The request body is more than the limit of ${maxBytes} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}
