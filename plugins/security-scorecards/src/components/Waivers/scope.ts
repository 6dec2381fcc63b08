import {
  CreateWaiverRequest,
  Finding,
  WaiverScope,
  WaiverVexJustification,
  DAY_MS,
} from '@secdevops/plugin-security-scorecards-common';

/** What a waiver covers: one finding, every finding of a rule, or of a package. */
export type WaiverScopeType = 'finding' | 'rule' | 'package';

/** Scope types in words, as the request dialog offers them. */
export const scopeTypeLabels: Record<WaiverScopeType, string> = {
  finding: 'One finding',
  rule: 'Every finding of a rule',
  package: 'Every finding in a package',
};

/** The values a request dialog starts with, e.g. from a finding. */
export interface WaiverDraft {
  scopeType: WaiverScopeType;
  findingId?: string;
  ruleId?: string;
  purl?: string;
  /** The finding the request was started from, to show what is waived. */
  findingTitle?: string;
}

/** A draft for one finding, with its rule and package ready for a wider scope. */
export function draftFromFinding(finding: Finding): WaiverDraft {
  return {
    scopeType: 'finding',
    findingId: finding.id,
    ruleId: finding.ruleId,
    purl: finding.package?.purl,
    findingTitle: finding.title,
  };
}

/** A waiver's scope as a label and a value: "Rule", "CVE-2021-23337". */
export function describeScope(scope: WaiverScope): {
  type: WaiverScopeType;
  label: string;
  value: string;
} {
  if ('findingId' in scope) {
    return { type: 'finding', label: 'Finding', value: scope.findingId };
  }
  if ('ruleId' in scope) {
    return { type: 'rule', label: 'Rule', value: scope.ruleId };
  }
  return { type: 'package', label: 'Package', value: scope.purl };
}

/** A date in the reader's time zone as `YYYY-MM-DD`, the value of a date input. */
export function localDateString(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}`;
}

/** The date `days` days from `now`, as a date input value. */
export function dateInDays(days: number, now: number = Date.now()): string {
  return localDateString(new Date(now + days * DAY_MS));
}

/**
 * The expiry sent for a date picked in the reader's time zone: the end of
 * that day, but no later than `maxDays` from now (less a few minutes for the
 * request's way to the backend), which the backend would refuse.
 */
export function expiresAtFor(
  date: string,
  maxDays: number,
  now: number = Date.now(),
): string {
  const [year, month, day] = date.split('-').map(Number);
  const endOfDay = new Date(year, month - 1, day, 23, 59, 59, 999).getTime();
  const latest = now + maxDays * DAY_MS - 5 * 60_000;
  return new Date(Math.min(endOfDay, latest)).toISOString();
}

/** The body of `POST /waivers` for a scope, its value and the rest of the form. */
export function waiverRequestOf(options: {
  entityRef: string;
  scopeType: WaiverScopeType;
  value: string;
  justification: string;
  expiresAt: string;
  vexJustification?: WaiverVexJustification;
}): CreateWaiverRequest {
  const key = (
    { finding: 'findingId', rule: 'ruleId', package: 'purl' } as const
  )[options.scopeType];
  return {
    entityRef: options.entityRef,
    [key]: options.value.trim(),
    justification: options.justification.trim(),
    expiresAt: options.expiresAt,
    ...(options.vexJustification
      ? { vexJustification: options.vexJustification }
      : {}),
  };
}

/** A CycloneDX justification in words: "code not present". */
export function vexJustificationLabel(
  justification: WaiverVexJustification,
): string {
  return justification.replace(/_/g, ' ');
}
