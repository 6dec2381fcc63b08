/**
 * Security scorecards in the Backstage portal: maturity levels, findings and
 * escalations of catalog entities.
 *
 * The new frontend system's plugin is the default export of `./alpha`; this
 * entry point serves apps on the legacy frontend system.
 *
 * @packageDocumentation
 */
export {
  securityScorecardsPlugin,
  EntitySecurityContent,
  EntitySecurityScorecardCard,
} from './plugin';
export * from './api';
