import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { securityScorecardsPermissions } from '@secdevops/plugin-security-scorecards-common';
import {
  DEFAULT_MAX_REPORT_BYTES,
  FindingSource,
  securityScorecardsFindingSourcesExtensionPoint,
} from '@secdevops/plugin-security-scorecards-node';
import { DatabaseScorecardStore } from './database/DatabaseScorecardStore';
import { ScanIngestionService } from './ingest/ScanIngestionService';
import { createRouter } from './service/router';

/**
 * The security scorecards backend plugin.
 *
 * @public
 */
export const securityScorecardsPlugin = createBackendPlugin({
  pluginId: 'security-scorecards',
  register(env) {
    const findingSources = new Map<string, FindingSource>();
    env.registerExtensionPoint(securityScorecardsFindingSourcesExtensionPoint, {
      addFindingSource(...sources) {
        for (const source of sources) {
          if (findingSources.has(source.id)) {
            throw new Error(
              `A finding source with id '${source.id}' was already added`,
            );
          }
          findingSources.set(source.id, source);
        }
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(securityScorecardsPermissions);
        const maxBodyBytes =
          config.getOptionalNumber('securityScorecards.ingest.maxBodyBytes') ??
          DEFAULT_MAX_REPORT_BYTES;
        const scorecardStore = await DatabaseScorecardStore.create({
          database,
        });
        const scanIngestion = new ScanIngestionService({
          store: scorecardStore,
          catalog,
          maxBodyBytes,
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            catalog,
            scorecardStore,
            scanIngestion,
            maxBodyBytes,
            findingSourceIds: [...findingSources.keys()],
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
