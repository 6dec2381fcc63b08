import { Entity } from '@backstage/catalog-model';
import {
  FindingSource,
  ParsedReport,
} from '@secdevops/plugin-security-scorecards-node';

/** One result of a collector: a report to store as the latest scan of `source`. */
export interface CollectedScan {
  /** The scan source the report replaces, e.g. `github-dependabot` or `url:https://…`. */
  source: string;
  report: ParsedReport;
}

/** What one run of a collector for one entity produced. */
export interface CollectedResult {
  /** Reports that changed since the previous run; the others stand. */
  scans: CollectedScan[];
  /** What to keep until the next run, e.g. ETags. */
  state?: string;
  /** Parts that failed while others succeeded, e.g. one unreachable URL. */
  errors?: string[];
}

/**
 * The backend's view of a pull collector: a {@link FindingSource} from a
 * module, or a built-in one such as the report-URL collector, which stores
 * one scan per report and keeps ETags between runs.
 */
export interface Collector {
  id: string;
  appliesTo(entity: Entity): boolean;
  defaultFrequency: { minutes?: number; hours?: number };
  collect(
    entity: Entity,
    options: { signal: AbortSignal; state?: string },
  ): Promise<CollectedResult>;
}

/**
 * A module's finding source as a collector: one scan, under the source's id.
 * The source gets what it set in its previous successful run as
 * `state.previous`, and what it sets is returned as the result's `state`,
 * which the CollectorService keeps only when the run succeeds.
 */
export function collectorOfFindingSource(source: FindingSource): Collector {
  return {
    id: source.id,
    appliesTo: entity => source.appliesTo(entity),
    defaultFrequency: source.defaultFrequency,
    async collect(entity, { signal, state }) {
      const kept: { value?: string } = {};
      const report = await source.collect(entity, {
        signal,
        state: {
          previous: state,
          set(value: string) {
            if (typeof value !== 'string') {
              throw new TypeError(
                `The finding source ${source.id} set a state that is not a string`,
              );
            }
            kept.value = value;
          },
        },
      });
      return {
        scans: report ? [{ source: source.id, report }] : [],
        ...(kept.value !== undefined ? { state: kept.value } : {}),
      };
    },
  };
}
