import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { EscalationService } from './EscalationService';

/**
 * Schedules the escalation run through the Backstage scheduler, so that it
 * happens once across backend instances: every 15 minutes by default, or as
 * `securityScorecards.escalation.schedule` says.
 */
export async function scheduleEscalationTask(options: {
  config: Config;
  scheduler: SchedulerService;
  logger: LoggerService;
  escalations: EscalationService;
}): Promise<void> {
  const { config, scheduler, logger, escalations } = options;
  const custom = config.getOptionalConfig(
    'securityScorecards.escalation.schedule',
  );
  await scheduler.scheduleTask({
    id: 'security-scorecards-escalation',
    ...(custom
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(custom)
      : {
          frequency: { minutes: 15 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
        }),
    fn: async () => {
      const result = await escalations.run();
      if (result.opened + result.closed + result.notified + result.failed) {
        logger.info(
          `Security scorecards: ${result.breached} entities past SLA; escalations opened ${result.opened}, closed ${result.closed}; notifications sent ${result.notified}, failed ${result.failed}`,
        );
      }
    },
  });
}
