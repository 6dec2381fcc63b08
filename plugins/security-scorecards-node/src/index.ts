/**
 * Extension points, types and report parsers for security scorecards backend modules.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './scorecards';
export * from './ingest/types';
export {
  boundLocationsOf,
  CollectorBinding,
  githubRepositoryOfUrl,
} from './collect/binding';
export type {
  CollectorBindingOptions,
  GithubRepositoryLocation,
} from './collect/binding';
export {
  DEFAULT_MAX_REPORT_BYTES,
  FailedScanError,
  isReportFormat,
  parseReport,
  readReport,
  ReportTooLargeError,
} from './ingest/parseReport';
export { collectReport } from './ingest/collectReport';
export { LazyJsonArray } from './ingest/lazyJson';
export { isJsonList, LazyList } from './ingest/lazyList';
export type { JsonList } from './ingest/lazyList';
export type { ParseReportOptions } from './ingest/parseReport';
export {
  createSecretHasher,
  ecosystemOfPurl,
  fingerprintOf,
  redactSecret,
  sha256Hex,
  withoutSecret,
} from './ingest/normalize';
export {
  advisoryIdentifiers,
  cvssOf,
  plainText,
  severityOfScore,
} from './ingest/advisoryHelpers';
