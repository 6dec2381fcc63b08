export {
  DependencySearchSubPage,
  EscalationsSubPage,
  OrganizationScorecardsPage,
  SecurityScorecardsPage,
} from './SecurityScorecardsPage';
export { OrganizationScorecards } from './OrganizationScorecards';
