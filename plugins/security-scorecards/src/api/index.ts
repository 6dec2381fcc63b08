export { securityScorecardsApiRef } from './SecurityScorecardsApi';
export type {
  DependencyListQuery,
  FindingListQuery,
  SecurityScorecardsApi,
} from './SecurityScorecardsApi';
export { SecurityScorecardsClient } from './SecurityScorecardsClient';
