import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { securityScorecardsFindingSourcesExtensionPoint } from '@secdevops/plugin-security-scorecards-node';
import { CONFIG_KEY } from './DependencyTrackClient';
import { DependencyTrackFindingSource } from './DependencyTrackFindingSource';

/**
 * Adds the `dependency-track` finding source to the security scorecards
 * backend: findings and components of the Dependency-Track projects that
 * entities name in their annotations, collected on a schedule.
 *
 * @public
 */
export const securityScorecardsModuleDependencyTrack = createBackendModule({
  pluginId: 'security-scorecards',
  moduleId: 'dependency-track',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        findingSources: securityScorecardsFindingSourcesExtensionPoint,
      },
      async init({ config, logger, findingSources }) {
        if (!config.has(CONFIG_KEY)) {
          logger.warn(
            `${CONFIG_KEY} is not configured; findings are not collected from Dependency-Track`,
          );
          return;
        }
        findingSources.addFindingSource(
          DependencyTrackFindingSource.fromConfig(config),
        );
      },
    });
  },
});
