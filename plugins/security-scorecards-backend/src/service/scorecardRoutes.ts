import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  RubricResponse,
  ScorecardHistoryResponse,
  securityScorecardsScorecardReadPermission,
} from '@secdevops/plugin-security-scorecards-common';
import { RouteAuthorization } from './authorization';
import express, { Request } from 'express';
import {
  parseTargetLevel,
  ScorecardService,
} from '../scorecards/ScorecardService';
import {
  entityRefParameter,
  integerParameter,
  optionalStringParameter,
} from './parameters';

/**
 * The scorecard routes: rubric, entity scorecards, group rollups, history and
 * CSV export. An entity's scorecard and history need
 * `security-scorecards.scorecard.read` on the entity, checked before the
 * entity is looked up so that an unknown entity and a denied one answer the
 * same 403. Rollups, exports, the history of a group or the organisation
 * and the rubric need a policy that does not deny the permission outright
 * (allowing it on some entities, e.g. the caller's own, is enough). Rollups
 * and exports then list only the entities the caller has it on (one batched
 * check per request), while their totals count every entity of the subtree.
 */
export function addScorecardRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    scorecards: ScorecardService;
  },
) {
  const { httpAuth, permissions, scorecards } = options;
  const authorization = new RouteAuthorization(permissions);

  function credentialsOf(req: Request): Promise<BackstageCredentials> {
    return httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /** Throws a 403 naming only the permission unless the caller may read the entity. */
  async function requireOnEntity(req: Request, entityRef: string) {
    await authorization.requireOnEntity(
      securityScorecardsScorecardReadPermission,
      entityRef,
      await credentialsOf(req),
    );
  }

  /** Throws a 403 when the policy denies the permission on every entity. */
  async function requireOnSomeEntities(req: Request) {
    const credentials = await credentialsOf(req);
    await authorization.requireOnSomeEntities(
      securityScorecardsScorecardReadPermission,
      credentials,
    );
    return credentials;
  }

  /**
   * The entities of a list the caller may read, asked once per list; a 403
   * when the policy allows the permission on no entity at all.
   */
  async function visibleTo(req: Request) {
    return authorization.entityFilter(
      securityScorecardsScorecardReadPermission,
      await requireOnSomeEntities(req),
    );
  }

  /** An optional group ref: `entityRef=group:default/x`, or the whole organisation. */
  function groupRefParameter(req: Request): string | undefined {
    if (optionalStringParameter(req, 'entityRef') === undefined) {
      return undefined;
    }
    const ref = entityRefParameter(req, 'entityRef');
    if (parseEntityRef(ref).kind !== 'group') {
      throw new InputError(
        `Query parameter entityRef must be a group ref such as group:default/team-a; got '${ref}'`,
      );
    }
    return ref;
  }

  router.get('/rubric', async (req, res) => {
    await requireOnSomeEntities(req);
    const response: RubricResponse = scorecards.rubric.describe();
    res.json(response);
  });

  router.get('/scorecards/entity', async (req, res) => {
    const entityRef = entityRefParameter(req, 'entityRef');
    await requireOnEntity(req, entityRef);
    res.json(await scorecards.getEntityScorecard(entityRef));
  });

  router.get('/scorecards/group', async (req, res) => {
    const groupRef = groupRefParameter(req);
    const targetLevel = parseTargetLevel(
      req.query.targetLevel,
      scorecards.rubric,
    );
    const visible = await visibleTo(req);
    res.json(
      await scorecards.getGroupScorecard({ groupRef, targetLevel, visible }),
    );
  });

  router.get('/scorecards/group/export', async (req, res) => {
    const groupRef = groupRefParameter(req);
    const visible = await visibleTo(req);
    const csv = await scorecards.exportCsv(groupRef, { visible });
    const name = groupRef
      ? parseEntityRef(groupRef).name.replace(/[^\w.-]/g, '_')
      : 'organization';
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader(
        'Content-Disposition',
        `attachment; filename="security-scorecards-${name}.csv"`,
      );
    res.send(csv);
  });

  router.get('/scorecards/history', async (req, res) => {
    const subject =
      optionalStringParameter(req, 'entityRef') === undefined
        ? undefined
        : entityRefParameter(req, 'entityRef');
    const days = integerParameter(req, 'days', 90, 1, 730);
    if (subject && parseEntityRef(subject).kind !== 'group') {
      await requireOnEntity(req, subject);
    } else {
      // A group's and the organisation's history are totals.
      await requireOnSomeEntities(req);
    }
    const response: ScorecardHistoryResponse = {
      entityRef: subject ?? 'organization',
      items: await scorecards.history(subject, days),
    };
    res.json(response);
  });
}
