import { Escalation } from '@secdevops/plugin-security-scorecards-common';

/** An escalation as the tables show it: with whether it concerns the signed-in user's groups. */
export interface EscalationRow extends Escalation {
  /** The escalation stands at, or its ladder passes through, one of the user's groups. */
  mine: boolean;
}

/**
 * Whether an escalation concerns one of the given ownership refs (lower
 * case): the group it stands at, or any group of its ladder.
 */
export function concernsRefs(
  escalation: Escalation,
  refs: ReadonlySet<string>,
): boolean {
  return [
    escalation.targetRef,
    ...escalation.ladder.map(step => step.targetRef),
  ].some(ref => refs.has(ref.toLocaleLowerCase('en-US')));
}

/**
 * The escalations of the user's groups first, each part in the backend's
 * order (highest level and oldest breach first).
 */
export function mineFirst(
  escalations: Escalation[],
  refs: ReadonlySet<string>,
): EscalationRow[] {
  const rows = escalations.map(escalation => ({
    ...escalation,
    mine: concernsRefs(escalation, refs),
  }));
  return [...rows.filter(row => row.mine), ...rows.filter(row => !row.mine)];
}
