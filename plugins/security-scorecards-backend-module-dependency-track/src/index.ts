/**
 * A security scorecards backend module that collects findings and components
 * from OWASP Dependency-Track.
 *
 * @packageDocumentation
 */
export { securityScorecardsModuleDependencyTrack as default } from './module';
export * from './annotations';
export { DependencyTrackClient } from './DependencyTrackClient';
export type { DependencyTrackClientOptions } from './DependencyTrackClient';
export {
  DEPENDENCY_TRACK_SOURCE_ID,
  DependencyTrackFindingSource,
} from './DependencyTrackFindingSource';
export {
  DEPENDENCY_TRACK_REPORT_FORMAT,
  DEPENDENCY_TRACK_SCANNER,
  dependencyTrackReport,
  mapDependencyTrackComponent,
  mapDependencyTrackFinding,
  statusOfDependencyTrackAnalysis,
} from './mapping';
export type {
  DependencyTrackComponent,
  DependencyTrackFinding,
  DependencyTrackProject,
} from './types';
