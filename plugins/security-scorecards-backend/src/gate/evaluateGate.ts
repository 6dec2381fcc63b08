import {
  compareSeverity,
  FindingCategory,
  GatePolicy,
  GateRule,
  GateRuleResult,
  GateViolation,
  MaturityLevel,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';
import { describeGateRule, findingPhrase } from './policy';

/** The most violating findings a rule result lists. */
export const GATE_VIOLATION_SAMPLE_SIZE = 20;

/**
 * Which open findings of the entity a rule counts.
 *
 * @internal
 */
export interface GateFindingFilter {
  /** At or above this severity; any severity when absent. */
  minSeverity?: Severity;
  category?: FindingCategory;
  /** Only the findings of this source. */
  source?: string;
  /** Only findings first seen at or after this time. */
  firstSeenSince?: Date;
  /** Also findings their report suppresses, which are not open. */
  includeReportSuppressed?: boolean;
  /** The most findings to return in `sample`. */
  limit: number;
}

/**
 * How many findings match, and the first of them, most severe first.
 *
 * @internal
 */
export interface GateFindingMatches {
  total: number;
  sample: GateViolation[];
}

/**
 * What a gate knows about one entity. The store implements it; the
 * evaluation never sees the database.
 *
 * @internal
 */
export interface GateFacts {
  /** Open findings (status `open`: not fixed, waived, false positive or not affected). */
  openFindings(filter: GateFindingFilter): Promise<GateFindingMatches>;
  /** Open findings whose SLA due date has passed, at or above the severity. */
  pastSlaFindings(filter: {
    minSeverity: Severity;
    limit: number;
  }): Promise<GateFindingMatches>;
  /** When the latest scan of each source was stored, by source. */
  latestScanTimes(): Promise<Map<string, Date>>;
  /** The entity's current maturity level (rank 0 when it has none). */
  level(): Promise<MaturityLevel>;
}

/**
 * The outcome of a policy, before it is recorded.
 *
 * @internal
 */
export interface GateEvaluation {
  passed: boolean;
  rules: GateRuleResult[];
}

/**
 * Evaluates every rule of a policy against an entity's facts. The policy
 * passes when every rule passes.
 *
 * @internal
 */
export async function evaluateGate(
  policy: GatePolicy,
  facts: GateFacts,
): Promise<GateEvaluation> {
  const cached = cachedFacts(facts);
  const rules = await Promise.all(
    policy.rules.map(rule => evaluateRule(rule, cached)),
  );
  return { passed: rules.every(rule => rule.passed), rules };
}

async function evaluateRule(
  rule: GateRule,
  facts: GateFacts,
): Promise<GateRuleResult> {
  const description = describeGateRule(rule);
  switch (rule.type) {
    case 'no-new-findings': {
      const { matches, scannedSources } = await newFindings(rule, facts);
      if (scannedSources.length === 0) {
        return passed(
          rule,
          description,
          rule.source ? `No scan of source ${rule.source} yet` : 'No scan yet',
        );
      }
      const scope = `in the latest scan of ${scannedSources.join(', ')}`;
      return fromMatches(
        rule,
        description,
        matches,
        `new ${findingPhrase(rule.severity)}`,
        scope,
      );
    }
    case 'no-open-findings': {
      const matches = await facts.openFindings({
        minSeverity: rule.severity,
        category: rule.category,
        includeReportSuppressed: rule.includeReportSuppressed,
        limit: GATE_VIOLATION_SAMPLE_SIZE,
      });
      const phrase = findingPhrase(rule.severity, rule.category);
      return fromMatches(rule, description, matches, `open ${phrase}`);
    }
    case 'no-past-sla': {
      const matches = await facts.pastSlaFindings({
        minSeverity: rule.severity,
        limit: GATE_VIOLATION_SAMPLE_SIZE,
      });
      const phrase = findingPhrase(rule.severity);
      return fromMatches(rule, description, matches, phrase, 'past SLA');
    }
    case 'min-level': {
      const level = await facts.level();
      const current =
        level.rank > 0
          ? `Level ${level.rank} (${level.name})`
          : 'No level reached';
      return level.rank >= rule.level
        ? passed(rule, description, current)
        : {
            rule,
            description,
            passed: false,
            details: `${current}, below the required level ${rule.level}`,
            violationCount: 0,
            violations: [],
          };
    }
    default:
      throw new Error(`Unknown gate rule type ${JSON.stringify(rule)}`);
  }
}

/**
 * Open findings first seen at or after the latest scan of each source (of
 * the rule's source only, when it names one): what the latest scans added.
 */
async function newFindings(
  rule: Extract<GateRule, { type: 'no-new-findings' }>,
  facts: GateFacts,
): Promise<{ matches: GateFindingMatches; scannedSources: string[] }> {
  const latestScans = [...(await facts.latestScanTimes())]
    .filter(([source]) => !rule.source || source === rule.source)
    .sort(([a], [b]) => a.localeCompare(b));
  const perSource = await Promise.all(
    latestScans.map(([source, scannedAt]) =>
      facts.openFindings({
        minSeverity: rule.severity,
        source,
        firstSeenSince: scannedAt,
        includeReportSuppressed: rule.includeReportSuppressed,
        limit: GATE_VIOLATION_SAMPLE_SIZE,
      }),
    ),
  );
  return {
    matches: {
      total: perSource.reduce((sum, matches) => sum + matches.total, 0),
      sample: perSource
        .flatMap(matches => matches.sample)
        .sort((a, b) => compareSeverity(a.severity, b.severity)),
    },
    scannedSources: latestScans.map(([source]) => source),
  };
}

function fromMatches(
  rule: GateRule,
  description: string,
  matches: GateFindingMatches,
  phrase: string,
  scope?: string,
): GateRuleResult {
  const suffix = scope ? ` ${scope}` : '';
  if (matches.total === 0) {
    return passed(rule, description, `No ${phrase}${suffix}`);
  }
  const noun = matches.total === 1 ? phrase : pluralOf(phrase);
  return {
    rule,
    description,
    passed: false,
    details: `${matches.total} ${noun}${suffix}`,
    violationCount: matches.total,
    violations: matches.sample.slice(0, GATE_VIOLATION_SAMPLE_SIZE),
  };
}

function passed(
  rule: GateRule,
  description: string,
  details: string,
): GateRuleResult {
  return {
    rule,
    description,
    passed: true,
    details,
    violationCount: 0,
    violations: [],
  };
}

/** "open critical finding" becomes "open critical findings". */
function pluralOf(phrase: string): string {
  return phrase.replace(/\bfinding\b/, 'findings');
}

/** Asks for the entity-wide facts once, however many rules read them. */
function cachedFacts(facts: GateFacts): GateFacts {
  let latestScanTimes: Promise<Map<string, Date>> | undefined;
  let level: Promise<MaturityLevel> | undefined;
  return {
    openFindings: filter => facts.openFindings(filter),
    pastSlaFindings: filter => facts.pastSlaFindings(filter),
    latestScanTimes: () => (latestScanTimes ??= facts.latestScanTimes()),
    level: () => (level ??= facts.level()),
  };
}
