import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ScanListResponse,
  securityScorecardsFindingsReadPermission,
} from '@secdevops/plugin-security-scorecards-common';
import express from 'express';
import Router from 'express-promise-router';
import { ScanStore } from '../database/ScanStore';

const defaultScanListLimit = 50;
const maximumScanListLimit = 500;

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  scanStore: ScanStore;
  /** Ids of the finding sources that backend modules added. */
  findingSourceIds: string[];
}

/**
 * Translates HTTP requests into store and service calls.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, scanStore, findingSourceIds } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    await scanStore.checkConnection();
    res.json({ status: 'ok', findingSources: findingSourceIds });
  });

  router.get('/scans', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefQueryParameter(req.query.entityRef);
    const limit = limitQueryParameter(req.query.limit);

    const [decision] = await permissions.authorize(
      [
        {
          permission: securityScorecardsFindingsReadPermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the scans of ${entityRef}`,
      );
    }

    const response: ScanListResponse = {
      items: await scanStore.listScans({ entityRef, limit }),
    };
    res.json(response);
  });

  return router;
}

function entityRefQueryParameter(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError(
      'Query parameter entityRef is required, e.g. entityRef=component:default/payments',
    );
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `Query parameter entityRef is not an entity reference: ${error}`,
    );
  }
}

function limitQueryParameter(value: unknown): number {
  if (value === undefined) {
    return defaultScanListLimit;
  }
  const limit = Number(value);
  if (
    typeof value !== 'string' ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > maximumScanListLimit
  ) {
    throw new InputError(
      `Query parameter limit must be a whole number from 1 to ${maximumScanListLimit}`,
    );
  }
  return limit;
}
