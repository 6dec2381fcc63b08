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
  EntityGroupSecurityContent,
  EntitySecurityContent,
  EntitySecurityScorecardCard,
  SecurityScorecardsPage,
} from './plugin';
export { LevelBadge } from './components/LevelBadge';
export * from './api';
