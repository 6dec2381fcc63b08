/**
 * Extension points, types and report parsers for security scorecards backend modules.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './ingest/types';
