import { Severity } from './severity';

/**
 * Whether an escalation is still moving up its ladder.
 *
 * @public
 */
export type EscalationState = 'active' | 'closed';

/**
 * States of an escalation.
 *
 * @public
 */
export const ESCALATION_STATES: readonly EscalationState[] = [
  'active',
  'closed',
];

/**
 * Why an escalation was closed: no breached open finding is left (fixed or
 * waived), or the entity left the catalog.
 *
 * @public
 */
export type EscalationClosedReason = 'resolved' | 'entity-removed';

/**
 * One step of an escalation ladder: the group notified at a level.
 *
 * @public
 */
export interface EscalationStep {
  /** 1 for the owner group, 2 for its parent, and so on. */
  level: number;
  /** The group notified at this level. */
  targetRef: string;
  /** When the level is reached: the breach time plus (level - 1) intervals. */
  dueAt: string;
  /** When the group was notified; absent for levels not reached (or not yet sent). */
  notifiedAt?: string;
}

/**
 * An escalation of an entity's SLA breaches through its owner group's
 * hierarchy.
 *
 * @public
 */
export interface Escalation {
  id: string;
  entityRef: string;
  /** The group the escalation stands at (the target of `level`). */
  targetRef: string;
  /** The highest level reached, from 1. */
  level: number;
  state: EscalationState;
  closedReason?: EscalationClosedReason;
  closedAt?: string;
  /** Open findings past their SLA, at the latest run. */
  findingCount: number;
  /** The highest severity among them (known-exploited findings count as critical when the SLA says so). */
  severity: Severity;
  /** The oldest unresolved breach: the earliest due date of those findings. */
  breachedAt: string;
  /** When the next level is reached; absent at the top of the ladder and when closed. */
  nextStepAt?: string;
  /** Reached levels with when they were notified, then the levels still to come. */
  ladder: EscalationStep[];
}

/**
 * Response of `GET /escalations`.
 *
 * @public
 */
export interface EscalationListResponse {
  items: Escalation[];
}
