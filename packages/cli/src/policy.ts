import {
  FINDING_CATEGORIES,
  FindingCategory,
  GatePolicy,
  GateRule,
  SEVERITIES,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError, errorMessage } from './errors';

const ruleProperties: Record<GateRule['type'], readonly string[]> = {
  'no-new-findings': ['type', 'severity', 'source'],
  'no-open-findings': ['type', 'severity', 'category'],
  'no-past-sla': ['type', 'severity'],
  'min-level': ['type', 'level'],
};
const ruleTypes = Object.keys(ruleProperties) as GateRule['type'][];

/** A policy problem at a place, e.g. `rules[1].severity`. */
class PolicyProblem extends Error {}

/**
 * Reads a gate policy from a YAML (or JSON) file and checks it the way the
 * backend does, so that a mistake fails before anything is sent.
 */
export async function loadGatePolicy(
  cwd: string,
  path: string,
): Promise<GatePolicy> {
  let content: string;
  try {
    content = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new CliError(
      `Cannot read the policy file ${path}: ${errorMessage(error)}`,
    );
  }
  let document: unknown;
  try {
    document = parseYaml(content);
  } catch (error) {
    throw new CliError(
      `Invalid policy file ${path}: not valid YAML: ${errorMessage(error)}`,
    );
  }
  try {
    return parsePolicy(document);
  } catch (error) {
    if (error instanceof PolicyProblem) {
      throw new CliError(`Invalid policy file ${path}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Checks a parsed policy document: `rules`, a list of rules of known types
 * with valid thresholds and no unknown properties.
 */
export function parsePolicy(document: unknown): GatePolicy {
  const policy = expectObject(document, 'the policy', 'a mapping with rules');
  rejectUnknownProperties(policy, ['rules'], 'a policy', '');
  if (!Array.isArray(policy.rules) || policy.rules.length === 0) {
    throw problem('rules', 'must be a list of at least one rule');
  }
  return {
    rules: policy.rules.map((rule, index) =>
      parseRule(rule, `rules[${index}]`),
    ),
  };
}

function parseRule(value: unknown, at: string): GateRule {
  const rule = expectObject(value, at, 'a rule with a type');
  const type = rule.type as GateRule['type'];
  if (!ruleTypes.includes(type)) {
    throw problem(
      `${at}.type`,
      `must be one of ${ruleTypes.join(', ')}; got ${show(rule.type)}`,
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
      return {
        type,
        severity: severity(rule.severity, `${at}.severity`),
        ...optional('source', text(rule.source, `${at}.source`)),
      };
    case 'no-open-findings':
      return {
        type,
        ...optional(
          'severity',
          rule.severity === undefined
            ? undefined
            : severity(rule.severity, `${at}.severity`),
        ),
        ...optional('category', category(rule.category, `${at}.category`)),
      };
    case 'no-past-sla':
      return { type, severity: severity(rule.severity, `${at}.severity`) };
    case 'min-level':
      return { type, level: level(rule.level, `${at}.level`) };
    default:
      throw problem(`${at}.type`, `is unknown`);
  }
}

function severity(value: unknown, at: string): Severity {
  if (!SEVERITIES.includes(value as Severity)) {
    throw problem(
      at,
      `must be one of ${SEVERITIES.join(', ')}; got ${show(value)}`,
    );
  }
  return value as Severity;
}

function category(value: unknown, at: string): FindingCategory | undefined {
  if (value === undefined) return undefined;
  if (!FINDING_CATEGORIES.includes(value as FindingCategory)) {
    throw problem(
      at,
      `must be one of ${FINDING_CATEGORIES.join(', ')}; got ${show(value)}`,
    );
  }
  return value as FindingCategory;
}

function level(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw problem(
      at,
      `must be a maturity level rank, a whole number of 1 or more; got ${show(
        value,
      )}`,
    );
  }
  return value;
}

function text(value: unknown, at: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw problem(at, `must be a non-empty string; got ${show(value)}`);
  }
  return value;
}

function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function expectObject(
  value: unknown,
  at: string,
  expected: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problem(at, `must be ${expected}; got ${show(value)}`);
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
    throw problem(
      `${prefix}${unknown}`,
      `is not a property of ${what}; expected ${allowed.join(', ')}`,
    );
  }
}

function problem(at: string, message: string): PolicyProblem {
  return new PolicyProblem(`${at} ${message}`);
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}
