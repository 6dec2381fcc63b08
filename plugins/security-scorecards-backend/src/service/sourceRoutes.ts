import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CollectRunResponse,
  securityScorecardsScanCreatePermission,
} from '@secdevops/plugin-security-scorecards-common';
import { RouteAuthorization } from './authorization';
import express from 'express';
import { EntityLookup } from '../catalog/EntityLookup';
import { CollectorService } from '../collect/CollectorService';
import { entityRefParameter } from './parameters';

/**
 * `POST /sources/:sourceId/collect?entityRef=`: runs a pull collector for
 * one entity now, e.g. after fixing its credentials, instead of waiting for
 * its schedule. Needs `security-scorecards.scan.create` on the entity, like
 * an upload.
 */
export function addSourceRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    entities: EntityLookup;
    collectors: CollectorService;
  },
) {
  const { httpAuth, permissions, entities, collectors } = options;

  router.post('/sources/:sourceId/collect', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefParameter(req, 'entityRef');
    await new RouteAuthorization(permissions).requireOnEntity(
      securityScorecardsScanCreatePermission,
      entityRef,
      credentials,
    );
    const entity = await entities.require(entityRef);
    const response: CollectRunResponse = await collectors.collect(
      req.params.sourceId,
      entity,
    );
    res.json(response);
  });
}
