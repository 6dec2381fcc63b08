import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { securityScorecardsPermissions } from '@secdevops/plugin-security-scorecards-common';
import {
  DEFAULT_MAX_REPORT_BYTES,
  FindingSource,
  ScorecardCheckType,
  securityScorecardsCheckTypesExtensionPoint,
  securityScorecardsFindingSourcesExtensionPoint,
} from '@secdevops/plugin-security-scorecards-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogEntityCache } from './catalog/CatalogEntityCache';
import { GateService } from './gate/GateService';
import { DatabaseScorecardStore } from './database/DatabaseScorecardStore';
import { builtInCheckTypes } from './scorecards/checkTypes';
import { Rubric } from './scorecards/rubric';
import { ScorecardDatabase } from './scorecards/ScorecardDatabase';
import { ScorecardService } from './scorecards/ScorecardService';
import { scheduleScorecardTasks } from './scorecards/tasks';
import { SlaPolicy } from './sla/SlaPolicy';
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

    const checkTypes = new Map<string, ScorecardCheckType<any>>(
      builtInCheckTypes.map(checkType => [checkType.type, checkType]),
    );
    env.registerExtensionPoint(securityScorecardsCheckTypesExtensionPoint, {
      addCheckType(...added) {
        for (const checkType of added) {
          if (checkTypes.has(checkType.type)) {
            throw new Error(
              `A rubric check type '${checkType.type}' was already added`,
            );
          }
          checkTypes.set(checkType.type, checkType);
        }
      },
    });

    env.registerInit({
      deps: {
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        auth,
        logger,
        scheduler,
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
        const sla = SlaPolicy.fromConfig(config);
        const rubric = Rubric.fromConfig(config, checkTypes);
        const scorecardStore = await DatabaseScorecardStore.create({
          database,
          sla,
        });
        const catalogCache = await CatalogEntityCache.create({
          database,
          catalog,
          auth,
          logger,
          kinds: (
            config.getOptionalStringArray(
              'securityScorecards.scorecards.kinds',
            ) ?? ['Component']
          ).map(kind => kind.toLocaleLowerCase('en-US')),
        });
        const scorecards = new ScorecardService({
          database: await ScorecardDatabase.create({ database, sla }),
          catalogCache,
          rubric,
          logger,
        });
        // A scan or gate run is stored either way; the daily evaluation
        // catches up on an entity whose re-evaluation failed right after it.
        const reevaluate = (entity: Entity) =>
          scorecards
            .evaluateEntity(entity)
            .catch(error =>
              logger.warn(
                `Could not re-evaluate the scorecard of ${stringifyEntityRef(
                  entity,
                )}: ${error}`,
              ),
            );
        const gates = await GateService.create({
          database,
          store: scorecardStore,
          level: async entityRef =>
            (
              await scorecards.getEntityScorecard(entityRef)
            ).level,
          onGateRecorded: reevaluate,
        });
        const scanIngestion = new ScanIngestionService({
          store: scorecardStore,
          catalog,
          maxBodyBytes,
          onScanStored: reevaluate,
        });
        await scheduleScorecardTasks({
          config,
          scheduler,
          logger,
          catalogCache,
          scorecards,
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
            scorecards,
            gates,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
