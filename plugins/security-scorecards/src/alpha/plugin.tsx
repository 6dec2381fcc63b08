import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { securityScorecardsApiRef, SecurityScorecardsClient } from '../api';

/** The API client, on the app's discovery and fetch APIs. */
const securityScorecardsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: securityScorecardsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SecurityScorecardsClient({ discoveryApi, fetchApi }),
    }),
});

/** The summary card on the overview of components and systems. */
const entitySecurityScorecardCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: { kind: { $in: ['component', 'system'] } },
    loader: () =>
      import('../components/EntitySecurityScorecardCard').then(m => (
        <m.EntitySecurityScorecardCard />
      )),
  },
});

/** The "Security" tab of components and systems: findings and dependencies. */
const entitySecurityContent = EntityContentBlueprint.make({
  name: 'security',
  params: {
    path: '/security',
    title: 'Security',
    filter: { kind: { $in: ['component', 'system'] } },
    loader: () =>
      import('../components/EntitySecurityContent').then(m => (
        <m.EntitySecurityContent />
      )),
  },
});

/**
 * Security scorecards for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'security-scorecards',
  info: { packageJson: () => import('../../package.json') },
  extensions: [
    securityScorecardsApi,
    entitySecurityScorecardCard,
    entitySecurityContent,
  ],
});
