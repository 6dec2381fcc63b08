export {
  DependencySearchSubPage,
  OrganizationScorecardsPage,
  SecurityScorecardsPage,
} from './SecurityScorecardsPage';
export { OrganizationScorecards } from './OrganizationScorecards';
