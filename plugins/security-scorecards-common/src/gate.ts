import { FindingCategory } from './findings';
import { Severity } from './severity';

/**
 * One rule of a CI gate policy. Severity thresholds mean "at or above".
 *
 * @public
 */
export type GateRule =
  | {
      /** No finding first seen in the latest scan of a source at or above the severity. */
      type: 'no-new-findings';
      severity: Severity;
      /** Only the findings of this source; all sources when absent. */
      source?: string;
      /** Also count findings their report suppresses; default false. */
      includeReportSuppressed?: boolean;
    }
  | {
      /** No open finding at or above the severity, optionally of one category. */
      type: 'no-open-findings';
      severity?: Severity;
      category?: FindingCategory;
      /**
       * Also count findings their report suppresses (SARIF suppressions, VEX
       * `not_affected`, …), which are otherwise not open; default false.
       */
      includeReportSuppressed?: boolean;
    }
  | {
      /** No open finding past its SLA at or above the severity. */
      type: 'no-past-sla';
      severity: Severity;
    }
  | {
      /** The entity's maturity level is at least this rank. */
      type: 'min-level';
      level: number;
    };

/**
 * A CI gate policy: every rule must pass.
 *
 * @public
 */
export interface GatePolicy {
  rules: GateRule[];
}

/**
 * The policy a gate evaluates when none is given: no open critical finding,
 * no open secret, nothing past SLA at high or above.
 *
 * @public
 */
export const DEFAULT_GATE_POLICY: GatePolicy = {
  rules: [
    { type: 'no-open-findings', severity: 'critical' },
    { type: 'no-open-findings', category: 'secret' },
    { type: 'no-past-sla', severity: 'high' },
  ],
};

/**
 * A finding that made a gate rule fail.
 *
 * @public
 */
export interface GateViolation {
  findingId: string;
  severity: Severity;
  category: FindingCategory;
  title: string;
  ruleId: string;
  source: string;
  location?: string;
  packageName?: string;
  dueAt?: string;
}

/**
 * The outcome of one rule.
 *
 * @public
 */
export interface GateRuleResult {
  rule: GateRule;
  /** The rule in words, e.g. "No open critical finding". */
  description: string;
  passed: boolean;
  /** Why it passed or failed, e.g. "2 open critical findings". */
  details: string;
  /** How many findings violate the rule (0 for a rule on the level). */
  violationCount: number;
  /**
   * Up to 20 findings that violate the rule. Absent when the caller may not
   * read the entity's findings (`security-scorecards.findings.read`): a
   * pipeline allowed only to upload learns the outcome and the counts.
   */
  violations?: GateViolation[];
}

/**
 * Response of `POST /api/security-scorecards/gates`; the run is recorded.
 *
 * @public
 */
export interface GateResult {
  id: string;
  entityRef: string;
  passed: boolean;
  rules: GateRuleResult[];
  source?: string;
  commit?: string;
  branch?: string;
  createdAt: string;
  createdBy: string;
}
