export { securityScorecardsApiRef } from './SecurityScorecardsApi';
export type { SecurityScorecardsApi } from './SecurityScorecardsApi';
export { SecurityScorecardsClient } from './SecurityScorecardsClient';
