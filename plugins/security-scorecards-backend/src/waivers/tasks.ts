import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { WaiverService } from './WaiverService';

/**
 * Expires waivers through the Backstage scheduler every 15 minutes, once
 * across all backend instances. Reads of waivers expire those of their
 * entity as well, so a list never shows a waiver past its time as active.
 */
export async function scheduleWaiverExpiry(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  waivers: WaiverService;
}): Promise<void> {
  const { scheduler, logger, waivers } = options;
  await scheduler.scheduleTask({
    id: 'security-scorecards-waiver-expiry',
    frequency: { minutes: 15 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 20 },
    fn: async () => {
      const expired = await waivers.expireDue();
      if (expired > 0) {
        logger.info(`Security scorecards: ${expired} waivers expired`);
      }
    },
  });
}
