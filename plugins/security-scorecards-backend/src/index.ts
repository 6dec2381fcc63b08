/**
 * Backend of Security Scorecards for Backstage.
 *
 * @packageDocumentation
 */
export { securityScorecardsPlugin as default } from './plugin';
