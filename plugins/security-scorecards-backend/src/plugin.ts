import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { securityScorecardsPermissions } from '@secdevops/plugin-security-scorecards-common';
import {
  FindingSource,
  securityScorecardsFindingSourcesExtensionPoint,
} from '@secdevops/plugin-security-scorecards-node';
import { DatabaseScanStore } from './database/DatabaseScanStore';
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
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        database,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
      }) {
        permissionsRegistry.addPermissions(securityScorecardsPermissions);
        const scanStore = await DatabaseScanStore.create({ database });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            scanStore,
            findingSourceIds: [...findingSources.keys()],
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
