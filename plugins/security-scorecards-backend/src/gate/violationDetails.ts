import { GateResult } from '@secdevops/plugin-security-scorecards-common';

/**
 * A gate result without the findings that violate its rules (their titles,
 * rule ids, paths and packages), for a caller that may run the gate but not
 * read the entity's findings: each rule keeps its outcome, its details
 * sentence and its violation count.
 *
 * @internal
 */
export function withoutViolationDetails(result: GateResult): GateResult {
  return {
    ...result,
    rules: result.rules.map(({ violations: _violations, ...rule }) => rule),
  };
}
