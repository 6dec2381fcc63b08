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
 * CSV export. All need `security-scorecards.scorecard.read`.
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

  async function authorize(req: Request): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await new RouteAuthorization(permissions).require(
      securityScorecardsScorecardReadPermission,
      credentials,
    );
    return credentials;
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
    await authorize(req);
    const response: RubricResponse = scorecards.rubric.describe();
    res.json(response);
  });

  router.get('/scorecards/entity', async (req, res) => {
    const entityRef = entityRefParameter(req, 'entityRef');
    await authorize(req);
    res.json(await scorecards.getEntityScorecard(entityRef));
  });

  router.get('/scorecards/group', async (req, res) => {
    const groupRef = groupRefParameter(req);
    const targetLevel = parseTargetLevel(
      req.query.targetLevel,
      scorecards.rubric,
    );
    await authorize(req);
    res.json(await scorecards.getGroupScorecard({ groupRef, targetLevel }));
  });

  router.get('/scorecards/group/export', async (req, res) => {
    const groupRef = groupRefParameter(req);
    await authorize(req);
    const csv = await scorecards.exportCsv(groupRef);
    const name = groupRef
      ? parseEntityRef(groupRef).name.replace(/[^a-zA-Z0-9._-]/g, '_')
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
    await authorize(req);
    const response: ScorecardHistoryResponse = {
      entityRef: subject ?? 'organization',
      items: await scorecards.history(subject, days),
    };
    res.json(response);
  });
}
