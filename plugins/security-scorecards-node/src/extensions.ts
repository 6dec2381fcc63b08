import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ParsedReport } from './ingest/types';

/**
 * A place the backend pulls findings from for the entities it applies to, such
 * as GitHub security alerts or Dependency-Track. Added by backend modules
 * through {@link securityScorecardsFindingSourcesExtensionPoint}.
 *
 * @public
 */
export interface FindingSource {
  /** Unique id, also the scan `source` its results replace, e.g. `github-dependabot`. */
  id: string;
  /** Whether the source has anything to say about an entity, usually by annotation. */
  appliesTo(entity: Entity): boolean;
  /** How often to collect when app-config does not say. */
  defaultFrequency: { minutes?: number; hours?: number };
  /**
   * The current full set of findings and dependencies for one entity; it
   * replaces the previous result of this source, so findings missing from it
   * become fixed. `undefined` means nothing changed since the previous run
   * (e.g. every conditional request answered 304): the previous result stands.
   * A throw is recorded as a failed run of the source for the entity.
   */
  collect(
    entity: Entity,
    options: { signal: AbortSignal },
  ): Promise<ParsedReport | undefined>;
}

/**
 * Adds finding sources to the security scorecards backend.
 *
 * @public
 */
export interface SecurityScorecardsFindingSourcesExtensionPoint {
  addFindingSource(...sources: FindingSource[]): void;
}

/**
 * Extension point through which backend modules add {@link FindingSource}s.
 *
 * @public
 */
export const securityScorecardsFindingSourcesExtensionPoint =
  createExtensionPoint<SecurityScorecardsFindingSourcesExtensionPoint>({
    id: 'security-scorecards.finding-sources',
  });
