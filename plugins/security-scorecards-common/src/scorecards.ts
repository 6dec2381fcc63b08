import { Severity, SeverityCounts } from './severity';

/**
 * Result of one rubric check for an entity.
 *
 * @public
 */
export type CheckStatus = 'pass' | 'fail' | 'not-applicable';

/**
 * Statuses of a rubric check, in display order.
 *
 * @public
 */
export const CHECK_STATUSES: readonly CheckStatus[] = [
  'pass',
  'fail',
  'not-applicable',
];

/**
 * A maturity level: rank 0 (no data / below the first level) to the highest
 * level of the rubric.
 *
 * @public
 */
export interface MaturityLevel {
  rank: number;
  name: string;
}

/**
 * A level of the rubric, as the rubric API lists it.
 *
 * @public
 */
export interface RubricLevel extends MaturityLevel {
  description?: string;
}

/**
 * A check of the rubric, without a result.
 *
 * @public
 */
export interface RubricCheck {
  id: string;
  title: string;
  description: string;
  /** How to make the check pass. */
  guidance: string;
  /** Rank of the level the check belongs to. */
  level: number;
  /** Relative weight in the score. */
  weight: number;
  /** The check type that evaluates it, e.g. `scan-freshness`. */
  type: string;
  /** The SecDevOps practice it stands for. */
  practice?: string;
  /** The OWASP DSOMM activity it stands for. */
  dsomm?: { activity: string; url?: string };
}

/**
 * Response of `GET /api/security-scorecards/rubric`.
 *
 * @public
 */
export interface RubricResponse {
  levels: RubricLevel[];
  checks: RubricCheck[];
  /** The level a group's "share at target" counts. */
  targetLevel: number;
}

/**
 * The result of one check for an entity.
 *
 * @public
 */
export interface CheckResult {
  id: string;
  title: string;
  /** Rank of the level the check belongs to. */
  level: number;
  status: CheckStatus;
  /** What the result is based on, in words a person can verify. */
  evidence: string;
  guidance: string;
  description?: string;
  practice?: string;
  dsomm?: { activity: string; url?: string };
}

/**
 * One point of a score history: an entity's or a group's state on a day.
 *
 * @public
 */
export interface ScorecardHistoryPoint {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** Entity: its score; group: the average score of its entities. */
  score: number;
  /** Entity: its level rank; group: absent. */
  level?: number;
  openFindings: SeverityCounts;
  pastSla: number;
  /** Groups only: the entities the point covers. */
  entityCount?: number;
}

/**
 * How a score moved over a period.
 *
 * @public
 */
export interface ScoreTrend {
  days: number;
  /** Score at the start of the period, when history reaches back that far. */
  from?: number;
  to: number;
  /** `to - from`, or 0 without history. */
  delta: number;
  direction: 'up' | 'down' | 'flat';
}

/**
 * Response of `GET /api/security-scorecards/scorecards/entity`.
 *
 * @public
 */
export interface EntityScorecard {
  entityRef: string;
  level: MaturityLevel;
  /** 0–100: weighted share of the applicable checks that pass. */
  score: number;
  /** Why the entity is at level 0, when it has no data at all. */
  reason?: string;
  checks: CheckResult[];
  openFindings: SeverityCounts;
  /** Open (not waived) findings past their SLA due date. */
  pastSla: number;
  /** Latest scan time per finding category, ISO timestamps. */
  lastScans: Partial<Record<string, string>>;
  ownerRef?: string;
  securityChampion?: string;
  evaluatedAt: string;
  trend: { days30: ScoreTrend; days90: ScoreTrend };
}

/**
 * Aggregates over a set of entities (a group subtree or the organisation).
 *
 * @public
 */
export interface ScorecardRollupStats {
  entityCount: number;
  /** Entity count per level rank, `{ "0": 2, "1": 5, … }`. */
  levelDistribution: Record<string, number>;
  /** Average score, rounded to one decimal; 0 without entities. */
  averageScore: number;
  /** Entities at or above the target level. */
  atTarget: number;
  /** `atTarget / entityCount`, 0–1. */
  shareAtTarget: number;
  openFindings: SeverityCounts;
  pastSla: number;
  /** Mean time to remediate in days per severity, over fixes of the last 90 days; null without fixes. */
  mttrDays: Record<Severity, number | null>;
}

/**
 * An entity in a rollup's list of lowest-scoring entities, or in its CSV export.
 *
 * @public
 */
export interface RollupEntity {
  entityRef: string;
  title?: string;
  ownerRef?: string;
  level: MaturityLevel;
  score: number;
  openFindings: SeverityCounts;
  pastSla: number;
  evaluatedAt: string;
}

/**
 * Compliance of one check across the child groups of a rollup.
 *
 * @public
 */
export interface ComplianceRow {
  checkId: string;
  title: string;
  level: number;
  /** Per child group ref (and `self` for entities owned by the group itself). */
  cells: Record<string, { pass: number; fail: number; notApplicable: number }>;
}

/**
 * A child group in a rollup.
 *
 * @public
 */
export interface ChildGroupRollup extends ScorecardRollupStats {
  groupRef: string;
  title?: string;
}

/**
 * Response of `GET /api/security-scorecards/scorecards/group`.
 *
 * @public
 */
export interface GroupScorecard extends ScorecardRollupStats {
  /** The group, or absent for the whole organisation. */
  groupRef?: string;
  title?: string;
  /** The level the `atTarget` figures count. */
  targetLevel: number;
  /** Direct child groups, each with its own whole subtree. */
  children: ChildGroupRollup[];
  /** The lowest-scoring entities of the subtree, lowest first. */
  lowestEntities: RollupEntity[];
  /** One row per rubric check; columns are `children[].groupRef` plus `self`. */
  compliance: ComplianceRow[];
  /** Daily history over the last 90 days, oldest first. */
  trend: ScorecardHistoryPoint[];
}

/**
 * Response of `GET /api/security-scorecards/scorecards/history`.
 *
 * @public
 */
export interface ScorecardHistoryResponse {
  entityRef: string;
  items: ScorecardHistoryPoint[];
}

/**
 * SLA state of an open finding.
 *
 * @public
 */
export type SlaState = 'within' | 'due-soon' | 'breached';

/**
 * SLA states, in display order.
 *
 * @public
 */
export const SLA_STATES: readonly SlaState[] = [
  'within',
  'due-soon',
  'breached',
];
