import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { securityScorecardsApiRef, SecurityScorecardsClient } from './api';

/** Where the legacy app mounts the org-wide scorecards page. */
const rootRouteRef = createRouteRef({ id: 'security-scorecards:root' });

/** Where the legacy app mounts the entity "Security" tab. */
const entitySecurityContentRouteRef = createRouteRef({
  id: 'security-scorecards:entity-content',
});

/** Where the legacy app mounts the group "Security" tab. */
const groupSecurityContentRouteRef = createRouteRef({
  id: 'security-scorecards:group-content',
});

/**
 * Security scorecards for apps on the legacy frontend system.
 *
 * @public
 */
export const securityScorecardsPlugin = createPlugin({
  id: 'security-scorecards',
  routes: {
    root: rootRouteRef,
    entityContent: entitySecurityContentRouteRef,
    groupContent: groupSecurityContentRouteRef,
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
 * The "Security" tab of a component or system: maturity checks, history,
 * findings and dependencies.
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

/**
 * The "Security" tab of a group: the rollup of the group's whole subtree
 * and its active SLA escalations.
 *
 * @public
 */
export const EntityGroupSecurityContent = securityScorecardsPlugin.provide(
  createRoutableExtension({
    name: 'EntityGroupSecurityContent',
    mountPoint: groupSecurityContentRouteRef,
    component: () =>
      import('./components/GroupSecurityContent').then(
        m => m.GroupSecurityContent,
      ),
  }),
);

/**
 * The org-wide page: scorecards of the organisation or of any group
 * (`?group=`), dependency search at `dependencies` and SLA escalations at
 * `escalations`. Mount it at `/security-scorecards`.
 *
 * @public
 */
export const SecurityScorecardsPage = securityScorecardsPlugin.provide(
  createRoutableExtension({
    name: 'SecurityScorecardsPage',
    mountPoint: rootRouteRef,
    component: () =>
      import('./components/SecurityScorecardsPage').then(
        m => m.SecurityScorecardsPage,
      ),
  }),
);
