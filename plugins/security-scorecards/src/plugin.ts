import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { securityScorecardsApiRef, SecurityScorecardsClient } from './api';

/**
 * Security scorecards for apps on the legacy frontend system.
 *
 * @public
 */
export const securityScorecardsPlugin = createPlugin({
  id: 'security-scorecards',
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
