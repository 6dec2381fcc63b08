import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import SecurityIcon from '@material-ui/icons/Security';
import { securityScorecardsApiRef, SecurityScorecardsClient } from '../api';

/** The org-wide scorecards page, `/security-scorecards`. */
export const rootRouteRef = createRouteRef();

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

/** The "Security" tab of components and systems: checks, history, findings and dependencies. */
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

/** The "Security" tab of groups: the rollup of the group's whole subtree and its escalations. */
const groupSecurityContent = EntityContentBlueprint.make({
  name: 'group-security',
  params: {
    path: '/security',
    title: 'Security',
    filter: { kind: 'group' },
    loader: () =>
      import('../components/GroupSecurityContent').then(m => (
        <m.GroupSecurityContent />
      )),
  },
});

/**
 * The org-wide page, also the "Security" item of the sidebar. Its tabs are
 * the sub-pages below; `/security-scorecards` opens the first.
 */
const securityScorecardsPage = PageBlueprint.make({
  params: {
    path: '/security-scorecards',
    title: 'Security',
    icon: <SecurityIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
  },
});

/** The organisation's (or `?group=`'s) scorecards. */
const scorecardsSubPage = SubPageBlueprint.make({
  name: 'scorecards',
  params: {
    path: 'overview',
    title: 'Scorecards',
    loader: () =>
      import('../components/SecurityScorecardsPage').then(m => (
        <m.OrganizationScorecardsPage />
      )),
  },
});

/** Which entities use a package: `dependencies?q=`. */
const dependenciesSubPage = SubPageBlueprint.make({
  name: 'dependencies',
  params: {
    path: 'dependencies',
    title: 'Dependencies',
    loader: () =>
      import('../components/SecurityScorecardsPage').then(m => (
        <m.DependencySearchSubPage />
      )),
  },
});

/** SLA escalations, those of the user's groups first: `escalations?group=&state=`. */
const escalationsSubPage = SubPageBlueprint.make({
  name: 'escalations',
  params: {
    path: 'escalations',
    title: 'Escalations',
    loader: () =>
      import('../components/SecurityScorecardsPage').then(m => (
        <m.EscalationsSubPage />
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
  title: 'Security scorecards',
  icon: <SecurityIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    securityScorecardsApi,
    entitySecurityScorecardCard,
    entitySecurityContent,
    groupSecurityContent,
    securityScorecardsPage,
    scorecardsSubPage,
    dependenciesSubPage,
    escalationsSubPage,
  ],
});
