import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, isError, NotAllowedError } from '@backstage/errors';
import {
  securityScorecardsFindingsReadPermission,
  securityScorecardsWaiverApprovePermission,
  securityScorecardsWaiverCreatePermission,
  WAIVER_STATUSES,
  WaiverHistoryResponse,
  WaiverListResponse,
} from '@secdevops/plugin-security-scorecards-common';
import { EntityLookup } from '../catalog/EntityLookup';
import { RouteAuthorization } from './authorization';
import express, { Request } from 'express';
import {
  MAX_JUSTIFICATION_LENGTH,
  WaiverService,
} from '../waivers/WaiverService';
import { entityRefParameter, listParameter } from './parameters';
import { principalRefOf } from './principal';

/**
 * The waiver routes: request, approve, reject and revoke waivers, list them
 * with their history, and export an entity's active waivers as CycloneDX VEX.
 * Reading needs `security-scorecards.findings.read` on the entity; requesting
 * `security-scorecards.waiver.create`; deciding and revoking
 * `security-scorecards.waiver.approve`. Only users request, decide and revoke:
 * a service token cannot, so that nobody can request a waiver as a service
 * (e.g. `external:ci`) and approve it as themselves. Every permission check
 * comes before anything changes, expiring due waivers included, and a 403
 * names the permission, never the entity.
 */
export function addWaiverRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    entities: EntityLookup;
    waivers: WaiverService;
  },
) {
  const { httpAuth, permissions, entities, waivers } = options;
  const jsonBody = express.json({ limit: '64kb' });

  const authorization = new RouteAuthorization(permissions);
  const isAllowed = authorization.isAllowedOnEntity.bind(authorization);
  const authorizeOnEntity = authorization.requireOnEntity.bind(authorization);

  /**
   * The caller's credentials, which must be a user's: a 403 saying so to a
   * service token.
   */
  async function userCredentials(req: Request, verb: string) {
    try {
      return await httpAuth.credentials(req, { allow: ['user'] });
    } catch (error) {
      if (isError(error) && error.name === 'NotAllowedError') {
        throw new NotAllowedError(
          `Only users can ${verb} a waiver, not service credentials: a waiver's requester and approver must each be a person`,
        );
      }
      throw error;
    }
  }

  /**
   * The waiver of `:id` if the caller may read it (404 when there is none),
   * checked before its entity's due waivers are expired.
   */
  async function readableWaiver(
    req: Request,
    credentials: BackstageCredentials,
  ) {
    const waiver = await waivers.getWaiver(req.params.id, { expire: false });
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      waiver.entityRef,
      credentials,
    );
    return waivers.getWaiver(waiver.id);
  }

  /**
   * Approving, rejecting and revoking: a user allowed to read the waiver and
   * to make the change, checked before anything changes.
   */
  async function decider(req: Request, verb: 'approve' | 'reject' | 'revoke') {
    const credentials = await userCredentials(req, verb);
    const waiver = await waivers.getWaiver(req.params.id, { expire: false });
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      waiver.entityRef,
      credentials,
    );
    const actor = {
      ref: principalRefOf(credentials),
      request: req,
      mayApprove: await isAllowed(
        securityScorecardsWaiverApprovePermission,
        waiver.entityRef,
        credentials,
      ),
    };
    waivers.checkAllowedChange(waiver, actor, verb);
    // Allowed: a waiver whose time is up expires now rather than changing.
    await waivers.expireDue({ entityRef: waiver.entityRef });
    return { waiver, actor };
  }

  router.post('/waivers', jsonBody, async (req, res) => {
    const credentials = await userCredentials(req, 'request');
    const { entityRef } = waivers.parseRequest(req.body);
    await authorizeOnEntity(
      securityScorecardsWaiverCreatePermission,
      entityRef,
      credentials,
    );
    await entities.require(entityRef);
    const waiver = await waivers.createWaiver(req.body, {
      ref: principalRefOf(credentials),
      request: req,
    });
    res.status(201).json(waiver);
  });

  router.get('/waivers', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    const statuses = listParameter(req, 'status', WAIVER_STATUSES);
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      entityRef,
      credentials,
    );
    const response: WaiverListResponse = {
      items: await waivers.listWaivers({ entityRef, statuses }),
    };
    res.json(response);
  });

  // Before /waivers/:id, which would take "vex" for an id.
  router.get('/waivers/vex', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    await authorizeOnEntity(
      securityScorecardsFindingsReadPermission,
      entityRef,
      credentials,
    );
    const document = await waivers.exportVex(entityRef);
    res
      .status(200)
      .type('application/vnd.cyclonedx+json; version=1.6')
      .send(JSON.stringify(document));
  });

  router.get('/waivers/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await readableWaiver(req, credentials));
  });

  router.get('/waivers/:id/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await readableWaiver(req, credentials);
    const response: WaiverHistoryResponse = {
      items: await waivers.history(req.params.id),
    };
    res.json(response);
  });

  router.post('/waivers/:id/approve', async (req, res) => {
    const { waiver, actor } = await decider(req, 'approve');
    res.json(await waivers.approve(waiver.id, actor));
  });

  router.post('/waivers/:id/reject', jsonBody, async (req, res) => {
    const reason = rejectionReason(req.body);
    const { waiver, actor } = await decider(req, 'reject');
    res.json(await waivers.reject(waiver.id, actor, reason));
  });

  router.delete('/waivers/:id', async (req, res) => {
    const { waiver, actor } = await decider(req, 'revoke');
    res.json(await waivers.revoke(waiver.id, actor));
  });
}

function rejectionReason(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('The request body must be a JSON object');
  }
  const { reason, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) {
    throw new InputError(
      `Unknown field ${Object.keys(rest).join(', ')}; a rejection takes reason`,
    );
  }
  if (reason === undefined || reason === null) return undefined;
  if (typeof reason !== 'string') {
    throw new InputError('reason must be a string');
  }
  const trimmed = reason.trim();
  if (trimmed.length > MAX_JUSTIFICATION_LENGTH) {
    throw new InputError(
      `reason must be at most ${MAX_JUSTIFICATION_LENGTH} characters; got ${trimmed.length}`,
    );
  }
  return trimmed.length > 0 ? trimmed : undefined;
}
