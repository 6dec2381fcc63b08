import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';

/** Where the legacy app mounts the entity "Security" tab. */
const entitySecurityContentRouteRef = createRouteRef({
  id: 'security-scorecards:entity-content',
});
import { securityScorecardsApiRef, SecurityScorecardsClient } from './api';

/**
 * Security scorecards for apps on the legacy frontend system.
 *
 * @public
 */
export const securityScorecardsPlugin = createPlugin({
  id: 'security-scorecards',
  routes: {
    entityContent: entitySecurityContentRouteRef,
  },
  apis: [
    createApiFactory({
      api: securityScorecardsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SecurityScorecardsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * Summary card for the overview of a component or system page.
 *
 * @public
 */
export const EntitySecurityScorecardCard = securityScorecardsPlugin.provide(
  createComponentExtension({
    name: 'EntitySecurityScorecardCard',
    component: {
      lazy: () =>
        import('./components/EntitySecurityScorecardCard').then(
          m => m.EntitySecurityScorecardCard,
        ),
    },
  }),
);

/**
 * The "Security" tab of a component or system: findings and dependencies.
 *
 * @public
 */
export const EntitySecurityContent = securityScorecardsPlugin.provide(
  createRoutableExtension({
    name: 'EntitySecurityContent',
    mountPoint: entitySecurityContentRouteRef,
    component: () =>
      import('./components/EntitySecurityContent').then(
        m => m.EntitySecurityContent,
      ),
  }),
);
