export { securityScorecardsApiRef } from './SecurityScorecardsApi';
export type {
  DependencyListQuery,
  FindingListQuery,
  GroupScorecardQuery,
  SecurityScorecardsApi,
} from './SecurityScorecardsApi';
export { SecurityScorecardsClient } from './SecurityScorecardsClient';
