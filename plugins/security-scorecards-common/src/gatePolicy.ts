import { FINDING_CATEGORIES, FindingCategory } from './findings';
import { GatePolicy, GateRule } from './gate';
import { SEVERITIES, Severity } from './severity';

/** The most rules a policy may hold; each one costs queries. */
export const MAX_GATE_RULES = 50;
const maxSourceLength = 200;
const maxContextLength = 200;

/**
 * The body of `POST /api/security-scorecards/gates`: a policy (the default
 * policy applies without one) and the pipeline's context.
 *
 * @public
 */
export interface GateRequestBody {
  policy?: GatePolicy;
  source?: string;
  commit?: string;
  branch?: string;
}

/**
 * A problem of a gate policy or request at a place, e.g.
 * `rules[1].severity must be one of …`.
 *
 * @public
 */
export class GatePolicyError extends Error {
  name = 'GatePolicyError';
}

const categoryLabels: Record<FindingCategory, string> = {
  sast: 'SAST',
  sca: 'dependency (SCA)',
  secret: 'secret',
  iac: 'IaC',
  container: 'container',
  dast: 'DAST',
  other: 'other',
};

const ruleProperties: Record<GateRule['type'], readonly string[]> = {
  'no-new-findings': ['type', 'severity', 'source', 'includeReportSuppressed'],
  'no-open-findings': [
    'type',
    'severity',
    'category',
    'includeReportSuppressed',
  ],
  'no-past-sla': ['type', 'severity'],
  'min-level': ['type', 'level'],
};

/**
 * The rule types a gate policy can hold.
 *
 * @public
 */
export const GATE_RULE_TYPES = Object.keys(
  ruleProperties,
) as readonly GateRule['type'][];

/**
 * Reads a gate policy from a parsed JSON or YAML document, so that the
 * backend and the CLI accept the same policies. Throws a
 * {@link GatePolicyError} naming the place of the first problem.
 *
 * @public
 */
export function readGatePolicy(value: unknown): GatePolicy {
  return readPolicy(value, '');
}

/**
 * Reads the body of `POST /gates`: `{ policy?, source?, commit?, branch? }`.
 * Throws a {@link GatePolicyError} naming the place of the first problem.
 *
 * @public
 */
export function readGateRequestBody(body: unknown): GateRequestBody {
  const object = expectObject(body ?? {}, 'a JSON object', 'the body');
  rejectUnknownProperties(
    object,
    ['policy', 'source', 'commit', 'branch'],
    'the body',
    '',
  );
  return withoutUndefined({
    policy:
      object.policy === undefined
        ? undefined
        : readPolicy(object.policy, 'policy.'),
    source: optionalText(object.source, 'source', maxSourceLength),
    commit: optionalText(object.commit, 'commit', maxContextLength),
    branch: optionalText(object.branch, 'branch', maxContextLength),
  });
}

/** What a rule that counts findings suppressed in their report adds to its description. */
const reportSuppressedSuffix = ', counting those suppressed in the report';

/**
 * A gate rule in words, e.g. "No open critical finding".
 *
 * @public
 */
export function describeGateRule(rule: GateRule): string {
  switch (rule.type) {
    case 'no-new-findings':
      return `No new ${findingPhrase(rule.severity)} in the latest scan of ${
        rule.source ? `source ${rule.source}` : 'each source'
      }${rule.includeReportSuppressed ? reportSuppressedSuffix : ''}`;
    case 'no-open-findings':
      return `No open ${findingPhrase(rule.severity, rule.category)}${
        rule.includeReportSuppressed ? reportSuppressedSuffix : ''
      }`;
    case 'no-past-sla':
      return `No ${findingPhrase(rule.severity)} past its SLA`;
    case 'min-level':
      return `Maturity level ${rule.level} or higher`;
    default:
      return assertNever(rule);
  }
}

/**
 * "critical finding", "high or critical secret finding", "medium or higher
 * finding", "finding": what a rule with these thresholds counts.
 *
 * @public
 */
export function findingPhrase(
  severity?: Severity,
  category?: FindingCategory,
): string {
  return [severityPhrase(severity), category && categoryLabels[category]]
    .filter(Boolean)
    .concat('finding')
    .join(' ');
}

function severityPhrase(severity: Severity | undefined): string | undefined {
  switch (severity) {
    case undefined:
    case 'info':
      return undefined;
    case 'critical':
      return 'critical';
    case 'high':
      return 'high or critical';
    default:
      return `${severity} or higher`;
  }
}

function readPolicy(value: unknown, prefix: string): GatePolicy {
  const at = prefix ? prefix.slice(0, -1) : 'the policy';
  const policy = expectObject(value, 'an object with rules', at);
  rejectUnknownProperties(policy, ['rules'], 'a policy', prefix);
  const rules = policy.rules;
  if (!Array.isArray(rules)) {
    throw invalid(`${prefix}rules`, 'must be a list of rules');
  }
  if (rules.length === 0) {
    throw invalid(`${prefix}rules`, 'must hold at least one rule');
  }
  if (rules.length > MAX_GATE_RULES) {
    throw invalid(
      `${prefix}rules`,
      `holds ${rules.length} rules, more than the limit of ${MAX_GATE_RULES}`,
    );
  }
  return {
    rules: rules.map((rule, index) =>
      readRule(rule, `${prefix}rules[${index}]`),
    ),
  };
}

function readRule(value: unknown, at: string): GateRule {
  const rule = expectObject(value, 'a rule object', at);
  const type = rule.type;
  if (!isRuleType(type)) {
    throw invalid(
      `${at}.type`,
      `must be one of ${GATE_RULE_TYPES.join(', ')}; got ${show(type)}`,
    );
  }
  rejectUnknownProperties(
    rule,
    ruleProperties[type],
    `a ${type} rule`,
    `${at}.`,
  );
  switch (type) {
    case 'no-new-findings':
      return withoutUndefined({
        type,
        severity: requiredSeverity(rule.severity, `${at}.severity`),
        source: optionalText(rule.source, `${at}.source`, maxSourceLength),
        includeReportSuppressed: optionalBoolean(
          rule.includeReportSuppressed,
          `${at}.includeReportSuppressed`,
        ),
      });
    case 'no-open-findings':
      return withoutUndefined({
        type,
        severity:
          rule.severity === undefined
            ? undefined
            : requiredSeverity(rule.severity, `${at}.severity`),
        category: optionalCategory(rule.category, `${at}.category`),
        includeReportSuppressed: optionalBoolean(
          rule.includeReportSuppressed,
          `${at}.includeReportSuppressed`,
        ),
      });
    case 'no-past-sla':
      return {
        type,
        severity: requiredSeverity(rule.severity, `${at}.severity`),
      };
    case 'min-level':
      return { type, level: requiredLevel(rule.level, `${at}.level`) };
    default:
      return assertNever(type);
  }
}

function requiredSeverity(value: unknown, at: string): Severity {
  if (!SEVERITIES.includes(value as Severity)) {
    throw invalid(
      at,
      `must be one of ${SEVERITIES.join(', ')}; got ${show(value)}`,
    );
  }
  return value as Severity;
}

function optionalCategory(
  value: unknown,
  at: string,
): FindingCategory | undefined {
  if (value === undefined) return undefined;
  if (!FINDING_CATEGORIES.includes(value as FindingCategory)) {
    throw invalid(
      at,
      `must be one of ${FINDING_CATEGORIES.join(', ')}; got ${show(value)}`,
    );
  }
  return value as FindingCategory;
}

/** A boolean option; false (the default) is left out, as if absent. */
function optionalBoolean(value: unknown, at: string): true | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true) {
    throw invalid(at, `must be true or false; got ${show(value)}`);
  }
  return true;
}

function requiredLevel(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(
      at,
      `must be a maturity level rank, a whole number of 1 or more; got ${show(
        value,
      )}`,
    );
  }
  return value;
}

function optionalText(
  value: unknown,
  at: string,
  maxLength: number,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(at, `must be a non-empty string; got ${show(value)}`);
  }
  if (value.length > maxLength) {
    throw invalid(at, `must be at most ${maxLength} characters long`);
  }
  return value;
}

function expectObject(
  value: unknown,
  expected: string,
  at: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(at, `must be ${expected}; got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function rejectUnknownProperties(
  object: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
  prefix: string,
): void {
  const unknown = Object.keys(object).find(key => !allowed.includes(key));
  if (unknown !== undefined) {
    throw invalid(
      `${prefix}${unknown}`,
      `is not a property of ${what}; expected ${allowed.join(', ')}`,
    );
  }
}

function isRuleType(value: unknown): value is GateRule['type'] {
  return (GATE_RULE_TYPES as readonly unknown[]).includes(value);
}

function invalid(at: string, problem: string): GatePolicyError {
  return new GatePolicyError(`${at} ${problem}`);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as T;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected gate rule ${JSON.stringify(value)}`);
}
