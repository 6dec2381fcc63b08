import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  CheckStatus,
  FindingCategory,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';

/**
 * Open findings of one category and severity of an entity.
 *
 * @public
 */
export interface OpenFindingFacts {
  category: FindingCategory;
  /** The severity as reported. */
  severity: Severity;
  /** The severity the SLA applies: critical for known-exploited findings when so configured. */
  slaSeverity: Severity;
  knownExploited: boolean;
  count: number;
  /** Of those, past their SLA due date. */
  pastSla: number;
  /** First-seen time of the oldest one. */
  oldestFirstSeenAt: Date;
}

/**
 * Everything a rubric check may read about one entity, computed for all
 * entities at once before any check runs.
 *
 * @public
 */
export interface EntityFacts {
  entityRef: string;
  /** Lower-case kind. */
  kind: string;
  title?: string;
  ownerRef?: string;
  annotations: Record<string, string>;
  /** The time of the evaluation; checks must not read the clock themselves. */
  now: Date;
  /** Open findings, grouped; waived, fixed and not affected ones are not here. */
  openFindings: OpenFindingFacts[];
  /** Latest scan per finding category it covered, with the scanner that ran it. */
  lastScans: Partial<Record<FindingCategory, { at: Date; scanner: string }>>;
  /** Dependencies currently known, across sources (0 without an SBOM). */
  dependencyCount: number;
  /** Whether anything was ever received for the entity. */
  hasScans: boolean;
  /** Findings fixed in the last 90 days, per severity: count and summed days open. */
  fixedLast90Days: Record<Severity, { count: number; totalDays: number }>;
  /** SLA days per severity, undefined where a severity has none. */
  slaDays: Record<Severity, number | undefined>;
  /** Gate runs of the last 90 days: count and latest time. */
  gateRuns: { count: number; latestAt?: Date; latestPassed?: boolean };
  /** Score of the previous evaluation and the oldest history point of the last 30 days. */
  scoreHistory: {
    current?: number;
    thirtyDaysAgo?: { day: string; score: number };
  };
}

/**
 * The outcome of a check on one entity.
 *
 * @public
 */
export interface CheckOutcome {
  status: CheckStatus;
  /** What the outcome is based on, in words a person can verify. */
  evidence: string;
}

/**
 * A kind of rubric check, with parameters. The rubric in app-config refers to
 * it by `type`.
 *
 * @public
 */
export interface ScorecardCheckType<TParams = Record<string, unknown>> {
  /** Unique id, e.g. `scan-freshness`. */
  type: string;
  /** Short description for documentation and errors. */
  description: string;
  /**
   * Validates and completes the parameters from app-config or the built-in
   * rubric; throws an Error naming the wrong parameter.
   */
  parseParams(params: Record<string, unknown>): TParams;
  /** Evaluates one entity. Pure: reads only its arguments. */
  evaluate(facts: EntityFacts, params: TParams): CheckOutcome;
}

/**
 * Adds rubric check types to the security scorecards backend.
 *
 * @public
 */
export interface SecurityScorecardsCheckTypesExtensionPoint {
  addCheckType(...checkTypes: ScorecardCheckType<any>[]): void;
}

/**
 * Extension point for backend modules that add rubric check types.
 *
 * @public
 */
export const securityScorecardsCheckTypesExtensionPoint =
  createExtensionPoint<SecurityScorecardsCheckTypesExtensionPoint>({
    id: 'security-scorecards.check-types',
  });
