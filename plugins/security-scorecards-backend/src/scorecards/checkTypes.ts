import {
  FINDING_CATEGORIES,
  FindingCategory,
  SEVERITIES,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';
import {
  CheckOutcome,
  EntityFacts,
  OpenFindingFacts,
  ScorecardCheckType,
} from '@secdevops/plugin-security-scorecards-node';
import { ageInDays, formatAge, formatDays, formatList } from './evidence';

const CATEGORY_LABELS: Record<FindingCategory, string> = {
  sast: 'SAST',
  sca: 'Dependency (SCA)',
  secret: 'Secrets',
  iac: 'IaC',
  container: 'Container',
  dast: 'DAST',
  other: 'Other',
};

/** Reads check parameters with errors that name the parameter. */
class Params {
  constructor(private readonly params: Record<string, unknown>) {}

  number(name: string, fallback?: number): number {
    const value = this.params[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`'${name}' must be a non-negative number`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.params[name] ?? fallback;
    if (typeof value !== 'boolean') {
      throw new Error(`'${name}' must be true or false`);
    }
    return value;
  }

  string(name: string): string {
    const value = this.params[name];
    if (typeof value !== 'string' || value.length === 0) {
      throw new Error(`'${name}' must be a non-empty string`);
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.params[name] === undefined ? undefined : this.string(name);
  }

  strings(name: string): string[] {
    const value = this.params[name] ?? [];
    if (
      !Array.isArray(value) ||
      value.some(item => typeof item !== 'string' || item.length === 0)
    ) {
      throw new Error(`'${name}' must be a list of strings`);
    }
    return value;
  }

  severity(name: string): Severity;
  severity(name: string, optional: true): Severity | undefined;
  severity(name: string, optional?: true): Severity | undefined {
    const value = this.params[name];
    if (value === undefined && optional) return undefined;
    if (!SEVERITIES.includes(value as Severity)) {
      throw new Error(`'${name}' must be one of ${SEVERITIES.join(', ')}`);
    }
    return value as Severity;
  }

  category(name: string): FindingCategory | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (!FINDING_CATEGORIES.includes(value as FindingCategory)) {
      throw new Error(
        `'${name}' must be one of ${FINDING_CATEGORIES.join(', ')}`,
      );
    }
    return value as FindingCategory;
  }

  categories(name: string): FindingCategory[] {
    const value = this.params[name];
    const list = typeof value === 'string' ? [value] : value;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      list.some(item => !FINDING_CATEGORIES.includes(item))
    ) {
      throw new Error(
        `'${name}' must be one or more of ${FINDING_CATEGORIES.join(', ')}`,
      );
    }
    return list as FindingCategory[];
  }
}

const pass = (evidence: string): CheckOutcome => ({ status: 'pass', evidence });
const fail = (evidence: string): CheckOutcome => ({ status: 'fail', evidence });
const notApplicable = (evidence: string): CheckOutcome => ({
  status: 'not-applicable',
  evidence,
});

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `spec.owner` is set. */
export const hasOwnerCheck: ScorecardCheckType<{}> = {
  type: 'has-owner',
  description: 'The entity has an owner in the catalog (spec.owner).',
  parseParams: () => ({}),
  evaluate: facts =>
    facts.ownerRef
      ? pass(`Owned by ${facts.ownerRef}`)
      : fail('spec.owner is not set in the catalog'),
};

interface ScanFreshnessParams {
  categories: FindingCategory[];
  maxAgeDays: number;
  /** Not applicable unless the entity has scans, findings or annotations of the categories. */
  onlyWhenPresent: boolean;
  /** Annotations that show the entity has something of the categories, e.g. a container image. */
  presenceAnnotations: string[];
  /** Annotations that count as evidence instead of a scan, e.g. runtime protection. */
  orAnnotations: string[];
}

/** A scan of one of the categories arrived recently. */
export const scanFreshnessCheck: ScorecardCheckType<ScanFreshnessParams> = {
  type: 'scan-freshness',
  description:
    'A scan covering one of the categories was received within maxAgeDays.',
  parseParams(raw) {
    const params = new Params(raw);
    return {
      categories: params.categories('categories'),
      maxAgeDays: params.number('maxAgeDays', 14),
      onlyWhenPresent: params.boolean('onlyWhenPresent', false),
      presenceAnnotations: params.strings('presenceAnnotations'),
      orAnnotations: params.strings('orAnnotations'),
    };
  },
  evaluate(facts, params) {
    const label = params.categories.map(c => CATEGORY_LABELS[c]).join(' or ');
    const scans = params.categories
      .map(category => ({ category, scan: facts.lastScans[category] }))
      .filter(
        (
          entry,
        ): entry is {
          category: FindingCategory;
          scan: { at: Date; scanner: string };
        } => entry.scan !== undefined,
      )
      .sort((a, b) => b.scan.at.getTime() - a.scan.at.getTime());
    const latest = scans[0];

    const annotation = params.orAnnotations.find(
      name => facts.annotations[name],
    );
    if (annotation) {
      return pass(`${annotation}: ${facts.annotations[annotation]}`);
    }

    if (params.onlyWhenPresent && !latest) {
      const present =
        facts.openFindings.some(group =>
          params.categories.includes(group.category),
        ) || params.presenceAnnotations.some(name => facts.annotations[name]);
      if (!present) {
        const hint = params.presenceAnnotations.length
          ? ` or annotations (${params.presenceAnnotations.join(', ')})`
          : '';
        return notApplicable(
          `No ${label} scans, findings${hint}: nothing of this kind is known for the entity`,
        );
      }
    }

    if (!latest) {
      return fail(`${label}: no scan received`);
    }
    const age = ageInDays(latest.scan.at, facts.now);
    const what = `${CATEGORY_LABELS[latest.category]}: last scan ${formatAge(
      latest.scan.at,
      facts.now,
    )} by ${latest.scan.scanner}`;
    return age <= params.maxAgeDays
      ? pass(what)
      : fail(`${what}, older than ${plural(params.maxAgeDays, 'day')}`);
  },
};

/** The entity has an SBOM: its dependencies are known. */
export const sbomPresentCheck: ScorecardCheckType<{}> = {
  type: 'sbom-present',
  description: 'Dependencies of the entity are known from an SBOM or scan.',
  parseParams: () => ({}),
  evaluate: facts =>
    facts.dependencyCount > 0
      ? pass(
          `SBOM lists ${plural(facts.dependencyCount, 'dependency')}`.replace(
            /dependencys$/,
            'dependencies',
          ),
        )
      : fail('No SBOM received: no dependencies are known'),
};

interface OpenFindingsParams {
  /** Counts findings at or above this severity; all when absent. */
  minSeverity?: Severity;
  category?: FindingCategory;
  /** Only known-exploited findings. */
  knownExploited: boolean;
  /** Most findings allowed. */
  max: number;
}

function describeFindings(params: OpenFindingsParams, count: number): string {
  let severity = '';
  if (params.minSeverity === 'critical') severity = 'critical ';
  else if (params.minSeverity && params.minSeverity !== 'info') {
    severity = `${params.minSeverity}-or-above `;
  }
  const category = params.category
    ? `${CATEGORY_LABELS[params.category]} `.replace(/^Secrets /, 'secret ')
    : '';
  const exploited = params.knownExploited ? 'known-exploited ' : '';
  return `open ${severity}${exploited}${category}finding${
    count === 1 ? '' : 's'
  }`;
}

function matching(
  facts: EntityFacts,
  predicate: (group: OpenFindingFacts) => boolean,
): OpenFindingFacts[] {
  return facts.openFindings.filter(predicate);
}

function bySeverity(groups: OpenFindingFacts[], key: 'count' | 'pastSla') {
  const counts = new Map<Severity, number>();
  for (const group of groups) {
    counts.set(group.severity, (counts.get(group.severity) ?? 0) + group[key]);
  }
  return formatList(
    SEVERITIES.filter(severity => (counts.get(severity) ?? 0) > 0).map(
      severity => `${counts.get(severity)} ${severity}`,
    ),
  );
}

/** At most `max` open findings of a severity, category or known exploitation. */
export const openFindingsCheck: ScorecardCheckType<OpenFindingsParams> = {
  type: 'open-findings',
  description:
    'At most max open findings at or above minSeverity, of one category or known exploited.',
  parseParams(raw) {
    const params = new Params(raw);
    return {
      minSeverity: params.severity('minSeverity', true),
      category: params.category('category'),
      knownExploited: params.boolean('knownExploited', false),
      max: params.number('max', 0),
    };
  },
  evaluate(facts, params) {
    const rank = params.minSeverity
      ? SEVERITIES.indexOf(params.minSeverity)
      : SEVERITIES.length;
    const groups = matching(
      facts,
      group =>
        SEVERITIES.indexOf(group.severity) <= rank &&
        (!params.category || group.category === params.category) &&
        (!params.knownExploited || group.knownExploited),
    );
    const total = groups.reduce((sum, group) => sum + group.count, 0);
    const what = describeFindings(params, total);
    if (total === 0) return pass(`No ${what}`);
    const detail = `${total} ${what} (${bySeverity(groups, 'count')})`;
    return total <= params.max
      ? pass(`${detail}, at most ${params.max} allowed`)
      : fail(
          params.max > 0 ? `${detail}, at most ${params.max} allowed` : detail,
        );
  },
};

interface PastSlaParams {
  /** The SLA severity the check counts. */
  severity: Severity;
  max: number;
}

/** No open finding of a severity past its SLA. */
export const pastSlaCheck: ScorecardCheckType<PastSlaParams> = {
  type: 'past-sla',
  description:
    'At most max open findings of the SLA severity past their due date (known-exploited ones count as critical when so configured).',
  parseParams(raw) {
    const params = new Params(raw);
    return {
      severity: params.severity('severity'),
      max: params.number('max', 0),
    };
  },
  evaluate(facts, params) {
    const slaDays = facts.slaDays[params.severity];
    if (slaDays === undefined) {
      return notApplicable(`${params.severity} findings have no SLA`);
    }
    const groups = matching(
      facts,
      group => group.slaSeverity === params.severity,
    );
    const open = groups.reduce((sum, group) => sum + group.count, 0);
    const breached = groups.filter(group => group.pastSla > 0);
    const pastSla = breached.reduce((sum, group) => sum + group.pastSla, 0);
    const sla = `${slaDays}-day SLA`;
    if (pastSla === 0) {
      return pass(
        open === 0
          ? `No open ${params.severity} findings`
          : `${plural(
              open,
              `open ${params.severity} finding`,
            )}, none past the ${sla}`,
      );
    }
    const oldest = breached
      .map(group => group.oldestFirstSeenAt)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const overdue = Math.floor(ageInDays(oldest, facts.now) - slaDays);
    const detail = `${plural(
      pastSla,
      `${params.severity} finding`,
    )} past the ${sla}, the oldest ${plural(
      Math.max(overdue, 0),
      'day',
    )} overdue (first seen ${oldest.toISOString().slice(0, 10)})`;
    return pastSla <= params.max ? pass(detail) : fail(detail);
  },
};

interface AnnotationParams {
  annotation: string;
  /** The value is a date that must be at most this old. */
  maxAgeDays?: number;
}

/** An annotation is set (and, for dates, recent). */
export const annotationCheck: ScorecardCheckType<AnnotationParams> = {
  type: 'annotation',
  description:
    'An annotation is set; with maxAgeDays its value is a date no older than that.',
  parseParams(raw) {
    const params = new Params(raw);
    return {
      annotation: params.string('annotation'),
      ...(raw.maxAgeDays !== undefined
        ? { maxAgeDays: params.number('maxAgeDays') }
        : {}),
    };
  },
  evaluate(facts, params) {
    const value = facts.annotations[params.annotation]?.trim();
    if (!value) return fail(`Annotation ${params.annotation} is not set`);
    if (params.maxAgeDays === undefined) {
      return pass(`${params.annotation}: ${value}`);
    }
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      return fail(
        `${params.annotation} is '${value}', not a date such as 2026-01-31`,
      );
    }
    const what = `${params.annotation}: ${value} (${formatAge(
      date,
      facts.now,
    )})`;
    return ageInDays(date, facts.now) <= params.maxAgeDays
      ? pass(what)
      : fail(`${what}, older than ${plural(params.maxAgeDays, 'day')}`);
  },
};

interface MttrParams {
  severity: Severity;
  /** Longest mean time to remediate allowed; default: the severity's SLA. */
  maxDays?: number;
}

/** Findings of a severity fixed in the last 90 days were fixed within the SLA on average. */
export const mttrCheck: ScorecardCheckType<MttrParams> = {
  type: 'mttr',
  description:
    'Mean time to remediate findings of a severity fixed in the last 90 days is at most maxDays (default: the SLA).',
  parseParams(raw) {
    const params = new Params(raw);
    return {
      severity: params.severity('severity'),
      ...(raw.maxDays !== undefined
        ? { maxDays: params.number('maxDays') }
        : {}),
    };
  },
  evaluate(facts, params) {
    const limit = params.maxDays ?? facts.slaDays[params.severity];
    if (limit === undefined) {
      return notApplicable(`${params.severity} findings have no SLA`);
    }
    const { count, totalDays } = facts.fixedLast90Days[params.severity];
    if (count === 0) {
      return notApplicable(`No ${params.severity} findings fixed in 90 days`);
    }
    const mean = totalDays / count;
    const what = `${params.severity} MTTR ${formatDays(mean)} over ${plural(
      count,
      'fix',
    ).replace(/fixs$/, 'fixes')} in 90 days, limit ${formatDays(limit)}`;
    return mean <= limit ? pass(what) : fail(what);
  },
};

/** The score did not decline over the last 30 days. */
export const scoreTrendCheck: ScorecardCheckType<{}> = {
  type: 'score-trend',
  description:
    'The score of the previous evaluation is not below the oldest score of the last 30 days.',
  parseParams: () => ({}),
  evaluate({ scoreHistory }) {
    const { current, thirtyDaysAgo } = scoreHistory;
    if (current === undefined || !thirtyDaysAgo) {
      return notApplicable('Less than a day of score history');
    }
    const what = `Score ${Math.round(current)} now, ${Math.round(
      thirtyDaysAgo.score,
    )} on ${thirtyDaysAgo.day}`;
    return current >= thirtyDaysAgo.score ? pass(what) : fail(what);
  },
};

interface GateEnforcedParams {
  maxAgeDays: number;
}

/** A CI gate ran for the entity recently. */
export const gateEnforcedCheck: ScorecardCheckType<GateEnforcedParams> = {
  type: 'gate-enforced',
  description: 'A CI gate evaluated the entity within maxAgeDays (up to 90).',
  parseParams(raw) {
    const maxAgeDays = new Params(raw).number('maxAgeDays', 30);
    if (maxAgeDays > 90) throw new Error(`'maxAgeDays' must be at most 90`);
    return { maxAgeDays };
  },
  evaluate({ gateRuns, now }, params) {
    if (!gateRuns.latestAt) {
      return fail(
        'No CI gate run recorded: run `security-scorecards gate` in the pipeline',
      );
    }
    const what = `Last CI gate run ${formatAge(gateRuns.latestAt, now)} (${
      gateRuns.latestPassed ? 'passed' : 'failed'
    }), ${plural(gateRuns.count, 'run')} in 90 days`;
    return ageInDays(gateRuns.latestAt, now) <= params.maxAgeDays
      ? pass(what)
      : fail(`${what}; none within ${plural(params.maxAgeDays, 'day')}`);
  },
};

/** The check types every installation has. */
export const builtInCheckTypes: ScorecardCheckType<any>[] = [
  hasOwnerCheck,
  scanFreshnessCheck,
  sbomPresentCheck,
  openFindingsCheck,
  pastSlaCheck,
  annotationCheck,
  mttrCheck,
  scoreTrendCheck,
  gateEnforcedCheck,
];
