/**
 * Shared types, severity model and permissions of the security scorecards plugins.
 *
 * @packageDocumentation
 */
export * from './api';
export * from './escalations';
export * from './findings';
export * from './permissions';
export * from './purl';
export * from './gate';
export * from './gatePolicy';
export * from './scorecards';
export * from './severity';
export * from './waivers';
export * from './time';
