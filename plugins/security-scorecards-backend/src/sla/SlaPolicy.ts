import { Config } from '@backstage/config';
import {
  SEVERITIES,
  Severity,
  SlaState,
  DAY_MS,
} from '@secdevops/plugin-security-scorecards-common';

/** Days to fix per severity when app-config does not say. */
export const DEFAULT_SLA_DAYS: Record<Severity, number | undefined> = {
  critical: 7,
  high: 30,
  medium: 90,
  low: 180,
  info: undefined,
};

/**
 * The remediation SLA: how many days an open finding of each severity may
 * stay open, counted from when it was first seen.
 */
export class SlaPolicy {
  static fromConfig(config: Config): SlaPolicy {
    const sla = config.getOptionalConfig('securityScorecards.sla');
    const days = { ...DEFAULT_SLA_DAYS };
    for (const severity of SEVERITIES) {
      if (!sla?.has(severity)) continue;
      const value = sla.get(severity);
      if (value === null || value === false) {
        days[severity] = undefined;
        continue;
      }
      const number = sla.getNumber(severity);
      if (!(number > 0)) {
        throw new Error(
          `securityScorecards.sla.${severity} must be a positive number of days, or false for no SLA`,
        );
      }
      days[severity] = number;
    }
    const dueSoonDays = sla?.getOptionalNumber('dueSoonDays') ?? 7;
    if (!(dueSoonDays >= 0)) {
      throw new Error(
        'securityScorecards.sla.dueSoonDays must be a non-negative number',
      );
    }
    return new SlaPolicy({
      days,
      knownExploitedAsCritical:
        sla?.getOptionalBoolean('knownExploitedAsCritical') ?? true,
      dueSoonDays,
    });
  }

  readonly days: Readonly<Record<Severity, number | undefined>>;
  readonly knownExploitedAsCritical: boolean;
  readonly dueSoonDays: number;

  constructor(options?: {
    days?: Partial<Record<Severity, number | undefined>>;
    knownExploitedAsCritical?: boolean;
    dueSoonDays?: number;
  }) {
    this.days = { ...DEFAULT_SLA_DAYS, ...options?.days };
    this.knownExploitedAsCritical = options?.knownExploitedAsCritical ?? true;
    this.dueSoonDays = options?.dueSoonDays ?? 7;
  }

  /** The severity whose SLA applies to a finding. */
  slaSeverity(severity: Severity, knownExploited: boolean): Severity {
    return knownExploited && this.knownExploitedAsCritical
      ? 'critical'
      : severity;
  }

  /** When a finding first seen at `firstSeenAt` is due, if its severity has an SLA. */
  dueAt(
    severity: Severity,
    knownExploited: boolean,
    firstSeenAt: Date,
  ): Date | undefined {
    const days = this.days[this.slaSeverity(severity, knownExploited)];
    return days === undefined
      ? undefined
      : new Date(firstSeenAt.getTime() + days * DAY_MS);
  }

  /** The SLA state of an open finding due at `dueAt`. */
  state(dueAt: Date, now: Date): SlaState {
    const left = dueAt.getTime() - now.getTime();
    if (left <= 0) return 'breached';
    return left <= this.dueSoonDays * DAY_MS ? 'due-soon' : 'within';
  }

  /**
   * For each SLA severity, the first-seen times that put an open finding in
   * a state at `now`: breached when first seen before `breachedBefore`, due
   * soon when first seen before `dueSoonBefore`.
   */
  cutoffs(
    now: Date,
  ): Array<{ severity: Severity; breachedBefore: Date; dueSoonBefore: Date }> {
    return SEVERITIES.flatMap(severity => {
      const days = this.days[severity];
      if (days === undefined) return [];
      const breachedBefore = new Date(now.getTime() - days * DAY_MS);
      return [
        {
          severity,
          breachedBefore,
          dueSoonBefore: new Date(
            breachedBefore.getTime() + this.dueSoonDays * DAY_MS,
          ),
        },
      ];
    });
  }
}
