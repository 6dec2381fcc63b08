import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { securityScorecardsPermissions } from '@secdevops/plugin-security-scorecards-common';
import {
  CollectorBinding,
  createSecretHasher,
  DEFAULT_MAX_REPORT_BYTES,
  FindingSource,
  ScorecardCheckType,
  securityScorecardsCheckTypesExtensionPoint,
  securityScorecardsFindingSourcesExtensionPoint,
} from '@secdevops/plugin-security-scorecards-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogEntityCache } from './catalog/CatalogEntityCache';
import { EntityLookup } from './catalog/EntityLookup';
import { GateService } from './gate/GateService';
import { DatabaseScorecardStore } from './database/DatabaseScorecardStore';
import { readSecretHashingKey } from './database/secretHashingKey';
import { builtInCheckTypes } from './scorecards/checkTypes';
import { Rubric } from './scorecards/rubric';
import { ScorecardDatabase } from './scorecards/ScorecardDatabase';
import { ScorecardService } from './scorecards/ScorecardService';
import { scheduleScorecardTasks } from './scorecards/tasks';
import { SlaPolicy } from './sla/SlaPolicy';
import { ScanIngestionService } from './ingest/ScanIngestionService';
import { createRouter } from './service/router';
import { CollectorService } from './collect/CollectorService';
import { collectorOfFindingSource } from './collect/types';
import { createUrlCollector } from './collect/urlCollector';
import { scheduleWaiverExpiry } from './waivers/tasks';
import { WaiverService } from './waivers/WaiverService';
import {
  EscalationService,
  readEscalationSettings,
} from './escalation/EscalationService';
import { scheduleEscalationTask } from './escalation/tasks';

/** The default of `securityScorecards.ingest.maxConcurrentUploads`. */
const DEFAULT_MAX_CONCURRENT_UPLOADS = 2;

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
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        notifications: notificationService,
        urlReader: coreServices.urlReader,
      },
      async init({
        auth,
        auditor,
        logger,
        scheduler,
        config,
        database,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        catalog,
        notifications,
        urlReader,
      }) {
        permissionsRegistry.addPermissions(securityScorecardsPermissions);
        const maxBodyBytes =
          config.getOptionalNumber('securityScorecards.ingest.maxBodyBytes') ??
          DEFAULT_MAX_REPORT_BYTES;
        const maxConcurrentUploads =
          config.getOptionalNumber(
            'securityScorecards.ingest.maxConcurrentUploads',
          ) ?? DEFAULT_MAX_CONCURRENT_UPLOADS;
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
        const entities = new EntityLookup(catalog, auth);
        const hashSecret = createSecretHasher(
          await readSecretHashingKey(database),
        );
        const scanIngestion = new ScanIngestionService({
          store: scorecardStore,
          entities,
          maxBodyBytes,
          onScanStored: reevaluate,
          collectorIds: [...findingSources.keys()],
          hashSecret,
          auditor,
        });
        const waivers = await WaiverService.create({
          database,
          config,
          auditor,
          logger,
          onFindingsChanged: entityRef =>
            scorecards.evaluateEntityRefs([entityRef]),
        });
        await scheduleWaiverExpiry({ scheduler, logger, waivers });
        const escalations = await EscalationService.create({
          database,
          sla,
          catalogCache,
          notifications,
          logger,
          settings: readEscalationSettings(config),
        });
        await scheduleEscalationTask({
          config,
          scheduler,
          logger,
          escalations,
        });
        const collectors = await CollectorService.create({
          database,
          collectors: [
            createUrlCollector({
              urlReader,
              maxBytes: maxBodyBytes,
              binding: CollectorBinding.fromConfig(config, 'url'),
              hashSecret,
            }),
            ...[...findingSources.values()].map(collectorOfFindingSource),
          ],
          catalog,
          auth,
          logger,
          storeScan: (entity, { source, report }, createdBy) =>
            scanIngestion.storeReport(entity, report, { source, createdBy }),
          concurrency: config.getOptionalNumber(
            'securityScorecards.sources.concurrency',
          ),
          timeoutSeconds: config.getOptionalNumber(
            'securityScorecards.sources.timeoutSeconds',
          ),
        });
        await collectors.schedule(scheduler, config);
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
            entities,
            scorecardStore,
            scanIngestion,
            maxBodyBytes,
            maxConcurrentUploads,
            findingSourceIds: collectors.ids,
            collectors,
            scorecards,
            gates,
            waivers,
            escalations,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
