import { DAY_MS } from '@secdevops/plugin-security-scorecards-common';
import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogEntityCache } from '../catalog/CatalogEntityCache';
import { ScorecardService } from './ScorecardService';

function scheduleOf(
  config: Config,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const custom = config.getOptionalConfig(`securityScorecards.schedule.${key}`);
  return custom
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(custom)
    : fallback;
}

/**
 * Schedules the scorecard work through the Backstage scheduler, so that each
 * run happens once across all backend instances:
 * - `catalogRefresh` (every 30 minutes): re-reads owners, groups and
 *   annotations from the catalog, and removes the data of entities gone from
 *   the catalog for longer than `securityScorecards.retentionDays` (30);
 * - `evaluation` (daily): re-evaluates every entity and writes the day's
 *   history points. It also runs shortly after start-up.
 */
export async function scheduleScorecardTasks(options: {
  config: Config;
  scheduler: SchedulerService;
  logger: LoggerService;
  catalogCache: CatalogEntityCache;
  scorecards: ScorecardService;
}): Promise<void> {
  const { config, scheduler, logger, catalogCache, scorecards } = options;
  const retentionDays =
    config.getOptionalNumber('securityScorecards.retentionDays') ?? 30;

  await scheduler.scheduleTask({
    id: 'security-scorecards-catalog-refresh',
    ...scheduleOf(config, 'catalogRefresh', {
      frequency: { minutes: 30 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 10 },
    }),
    fn: async () => {
      await catalogCache.refresh();
      await scorecards.catalogRefreshed();
      const removed = await catalogCache.removeMissingSince(
        new Date(Date.now() - retentionDays * DAY_MS),
      );
      if (removed.length > 0) {
        logger.info(
          `Security scorecards: removed the data of ${removed.length} entities gone from the catalog for ${retentionDays} days`,
        );
      }
    },
  });

  await scheduler.scheduleTask({
    id: 'security-scorecards-evaluation',
    ...scheduleOf(config, 'evaluation', {
      frequency: { hours: 24 },
      timeout: { minutes: 30 },
      initialDelay: { seconds: 30 },
    }),
    fn: async () => {
      const started = Date.now();
      const { entities } = await scorecards.evaluateAll();
      logger.info(
        `Security scorecards: evaluated ${entities} entities in ${
          Date.now() - started
        } ms`,
      );
    },
  });
}
