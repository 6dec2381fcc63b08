import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ESCALATION_STATES,
  EscalationListResponse,
  securityScorecardsScorecardReadPermission,
} from '@secdevops/plugin-security-scorecards-common';
import { RouteAuthorization } from './authorization';
import express from 'express';
import { EscalationService } from '../escalation/EscalationService';
import {
  entityRefParameter,
  integerParameter,
  oneOfParameter,
  optionalStringParameter,
} from './parameters';

/**
 * `GET /escalations`: escalations of an entity, of a group's subtree or of
 * the organisation. One entity's need `security-scorecards.scorecard.read`
 * on it; the others need a policy that does not deny it outright, and list
 * only the entities the caller has it on, asked in one batched call.
 */
export function addEscalationRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    escalations: EscalationService;
  },
) {
  const { httpAuth, permissions, escalations } = options;

  router.get('/escalations', async (req, res) => {
    const entityRef =
      optionalStringParameter(req, 'entityRef') === undefined
        ? undefined
        : entityRefParameter(req, 'entityRef');
    const groupRef =
      optionalStringParameter(req, 'groupRef') === undefined
        ? undefined
        : entityRefParameter(req, 'groupRef');
    if (entityRef && groupRef) {
      throw new InputError(
        'Query parameters entityRef and groupRef cannot be combined',
      );
    }
    if (groupRef && parseEntityRef(groupRef).kind !== 'group') {
      throw new InputError(
        `Query parameter groupRef must be a group ref such as group:default/team-a; got '${groupRef}'`,
      );
    }
    const state = oneOfParameter(req, 'state', ESCALATION_STATES);
    const limit = integerParameter(req, 'limit', 500, 1, 1000);

    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const authorization = new RouteAuthorization(permissions);
    if (entityRef) {
      await authorization.requireOnEntity(
        securityScorecardsScorecardReadPermission,
        entityRef,
        credentials,
      );
    } else {
      await authorization.requireOnSomeEntities(
        securityScorecardsScorecardReadPermission,
        credentials,
      );
    }

    const response: EscalationListResponse = {
      items: await escalations.list({
        entityRef,
        groupRef,
        state,
        limit,
        ...(entityRef
          ? {}
          : {
              visible: authorization.entityFilter(
                securityScorecardsScorecardReadPermission,
                credentials,
              ),
            }),
      }),
    };
    res.json(response);
  });
}
