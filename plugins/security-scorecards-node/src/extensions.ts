import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ParsedReport } from './ingest/types';

/**
 * What a {@link FindingSource} keeps for one entity from one run to the next,
 * such as ETags or cursors of its conditional requests. The backend stores it
 * per source and entity in its database, so it survives restarts and every
 * backend instance sees the same value. Keep it small (identifiers, not
 * findings) and never put secrets in it.
 *
 * @public
 */
export interface FindingSourceState {
  /**
   * What the source set for this entity in its previous successful run (the
   * last value set in any successful run, when later runs set nothing);
   * `undefined` before the first one. Parse it defensively: it may have been
   * written by an older version of the source.
   */
  readonly previous?: string;
  /**
   * Keeps a value for the next run of the source for this entity; the last
   * call wins. It is kept only when the run succeeds (does not throw): after
   * a failed run the next one gets the same `previous` again. A run that does
   * not call it keeps the previous value; `set('')` clears it.
   */
  set(value: string): void;
}

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
   *
   * @param options - `signal` aborts when the run takes too long; `state` is
   *   what the source keeps for the entity between runs, e.g. the ETags it
   *   sends as `If-None-Match` (see {@link FindingSourceState}).
   */
  collect(
    entity: Entity,
    options: { signal: AbortSignal; state: FindingSourceState },
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
