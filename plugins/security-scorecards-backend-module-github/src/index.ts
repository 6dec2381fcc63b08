/**
 * The github backend module for the security-scorecards plugin: collects
 * GitHub Dependabot, code scanning and secret scanning alerts.
 *
 * @packageDocumentation
 */
export { securityScorecardsModuleGithub as default } from './module';
export { securityScorecardsModuleGithub } from './module';
