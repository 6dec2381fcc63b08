export { securityScorecardsApiRef } from './SecurityScorecardsApi';
export type {
  DependencyListQuery,
  EscalationListQuery,
  FindingListQuery,
  GroupScorecardQuery,
  SecurityScorecardsApi,
  WaiverListQuery,
} from './SecurityScorecardsApi';
export { SecurityScorecardsClient } from './SecurityScorecardsClient';
