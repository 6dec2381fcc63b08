import {
  FindingCategory,
  FindingStatus,
  NormalizedFinding,
  Severity,
  severityFromLabel,
} from '@secdevops/plugin-security-scorecards-common';
import { isVulnerabilityId, ruleIdentifiers } from './advisoryHelpers';
import {
  expectArray,
  expectObject,
  fingerprintOf,
  isJsonObject,
  JsonObject,
  optionalNumber,
  optionalString,
  reportError,
  uniqueBy,
} from './normalize';
import { ParsedReport, ReportFormat } from './types';

const FORMAT: ReportFormat = 'github-code-scanning';
const DEFAULT_SCANNER = 'GitHub code scanning';
const MAX_TEXT_LENGTH = 4000;
const SECRET_SCANNER_NAME = /gitleaks|secretlint|trufflehog|detect-secrets/i;
/** Only real HTML tags are removed, so generic types such as `List<String>` survive. */
const HTML_TAG =
  /<\/?(?:a|abbr|b|blockquote|br|code|dd|del|div|dl|dt|em|h[1-6]|hr|i|img|ins|kbd|li|ol|p|pre|s|samp|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul)(?:\s[^<>]*)?\/?>/gi;

/** A parsed alert before its fingerprint, which depends on the other alerts. */
interface AlertDraft {
  finding: Omit<NormalizedFinding, 'fingerprint'>;
  contentKey: string;
  alertNumber?: number;
  toolVersion?: string;
}

function looksLikeAlert(value: unknown): boolean {
  return (
    isJsonObject(value) &&
    isJsonObject(value.rule) &&
    isJsonObject(value.tool) &&
    (typeof value.number === 'number' ||
      'most_recent_instance' in value ||
      'instances' in value)
  );
}

/**
 * Tells whether a parsed JSON document holds GitHub code scanning alerts: a
 * non-empty list of alerts, a single alert, or a `code_scanning_alert`
 * webhook payload. An alert is recognised by its `rule` and `tool` objects
 * and its `number` or instances. An empty list is not claimed, as it could
 * be any list of alerts.
 *
 * @param document - the parsed JSON report
 * @returns true when the document holds code scanning alerts
 */
export function looksLikeGithubCodeScanning(document: unknown): boolean {
  if (Array.isArray(document))
    return document.length > 0 && looksLikeAlert(document[0]);
  if (isJsonObject(document) && isJsonObject(document.alert)) {
    return looksLikeAlert(document.alert);
  }
  return looksLikeAlert(document);
}

/**
 * Normalizes GitHub code scanning alerts, as the REST API lists them
 * (`GET /repos/{owner}/{repo}/code-scanning/alerts`), as one alert, or as a
 * `code_scanning_alert` webhook payload (`{ action, alert }`).
 *
 * The fingerprint is the tool, the rule, the path and the alert message,
 * none of which change when code moves to other lines or the alert is seen
 * in another commit. The alert number is not part of it because it differs
 * between repositories and between the REST list and SARIF uploads of the
 * same problem. Alerts that share all four (the same message for the same
 * rule twice in one file) are told apart by their rank in alert number
 * order: GitHub numbers alerts as it finds them, so an older alert keeps its
 * rank when newer ones appear.
 *
 * @param document - the parsed JSON alerts
 * @returns the normalized report
 * @throws InputError naming the JSON place when the document holds no alerts
 */
export function parseGithubCodeScanning(document: unknown): ParsedReport {
  const drafts = alertsOf(document).map(({ place, alert }) =>
    parseAlert(place, alert),
  );

  const sameContent = new Map<string, AlertDraft[]>();
  for (const draft of drafts) {
    const group = sameContent.get(draft.contentKey);
    if (group) group.push(draft);
    else sameContent.set(draft.contentKey, [draft]);
  }
  const rankOf = new Map<AlertDraft, number>();
  for (const group of sameContent.values()) {
    const ranked =
      group.length === 1
        ? group
        : [...group].sort(
            (a, b) =>
              (a.alertNumber ?? Number.MAX_SAFE_INTEGER) -
              (b.alertNumber ?? Number.MAX_SAFE_INTEGER),
          );
    let rank = -1;
    ranked.forEach((draft, index) => {
      // The same alert listed twice keeps one rank, so uniqueBy drops the copy.
      const isCopy =
        index > 0 &&
        draft.alertNumber !== undefined &&
        draft.alertNumber === ranked[index - 1].alertNumber;
      if (!isCopy) rank += 1;
      rankOf.set(draft, rank);
    });
  }
  const findings = drafts.map(draft => ({
    ...draft.finding,
    fingerprint: fingerprintOf(draft.contentKey, rankOf.get(draft) ?? 0),
  }));

  const tools = new Map<string, string | undefined>();
  for (const draft of drafts) {
    if (!tools.has(draft.finding.scanner))
      tools.set(draft.finding.scanner, draft.toolVersion);
  }
  const toolNames = [...tools.keys()];
  const scannerVersion =
    toolNames.length === 1 ? tools.get(toolNames[0]) : undefined;

  return {
    format: FORMAT,
    scanner: toolNames.length > 0 ? toolNames.join(', ') : DEFAULT_SCANNER,
    ...(scannerVersion ? { scannerVersion } : {}),
    findings: uniqueBy(findings, finding => finding.fingerprint),
    dependencies: [],
  };
}

/** The alerts of a document, each with the prefix of its JSON places. */
function alertsOf(document: unknown): Array<{ place: string; alert: unknown }> {
  if (Array.isArray(document)) {
    return document.map((alert, index) => ({ place: `[${index}]`, alert }));
  }
  if (isJsonObject(document) && document.alert !== undefined) {
    return [{ place: 'alert', alert: document.alert }];
  }
  if (
    isJsonObject(document) &&
    (document.rule !== undefined || document.tool !== undefined)
  ) {
    return [{ place: '', alert: document }];
  }
  throw reportError(
    FORMAT,
    'the top level',
    'expected a list of code scanning alerts, one alert, or a webhook payload with an alert',
  );
}

function placeOf(prefix: string, field: string): string {
  return prefix === '' ? field : `${prefix}.${field}`;
}

function plainText(text: string): string {
  const plain = text.replace(HTML_TAG, '').trim();
  return plain.length > MAX_TEXT_LENGTH
    ? `${plain.slice(0, MAX_TEXT_LENGTH - 1)}…`
    : plain;
}

function parseAlert(place: string, alertValue: unknown): AlertDraft {
  const alert = expectObject(
    FORMAT,
    place === '' ? 'the top level' : place,
    alertValue,
  );
  const rule = expectObject(FORMAT, placeOf(place, 'rule'), alert.rule);
  const tool = expectObject(FORMAT, placeOf(place, 'tool'), alert.tool);
  // GitHub leaves rule.id null for some third-party tools; their rule name is all there is.
  const ruleId = optionalString(rule.id) ?? optionalString(rule.name);
  if (!ruleId)
    throw reportError(FORMAT, placeOf(place, 'rule.id'), 'is missing');
  const scanner = optionalString(tool.name) ?? DEFAULT_SCANNER;

  const instance = mostRecentInstanceOf(place, alert);
  const location = isJsonObject(instance?.location) ? instance.location : {};
  const path = optionalString(location.path) ?? '';
  const line = optionalNumber(location.start_line);
  const message = isJsonObject(instance?.message)
    ? optionalString(instance.message.text) ?? ''
    : '';

  const tags = expectArray(
    FORMAT,
    placeOf(place, 'rule.tags'),
    rule.tags,
  ).filter((tag): tag is string => typeof tag === 'string');
  const ruleDescription = optionalString(rule.full_description);
  const title =
    optionalString(rule.description) ?? optionalString(rule.name) ?? ruleId;
  const description = plainText(
    [message, ruleDescription]
      .filter(
        (part): part is string => part !== undefined && part.trim() !== '',
      )
      .join('\n\n'),
  );
  const { status, statusReason } = statusOf(alert);
  const htmlUrl = optionalString(alert.html_url);

  return {
    finding: {
      category: categoryOf(scanner, ruleId, tags),
      ruleId,
      title: plainText(title),
      ...(description ? { description } : {}),
      severity: severityOf(rule),
      identifiers: ruleIdentifiers(ruleId, tags),
      ...(path
        ? {
            location: {
              path,
              ...(line !== undefined && Number.isInteger(line) && line > 0
                ? { line }
                : {}),
            },
          }
        : {}),
      scanner,
      status,
      ...(statusReason ? { statusReason: plainText(statusReason) } : {}),
      ...(htmlUrl && /^https?:\/\//i.test(htmlUrl)
        ? { references: [htmlUrl] }
        : {}),
    },
    contentKey: fingerprintOf(FORMAT, scanner, ruleId, path, message),
    alertNumber: optionalNumber(alert.number),
    toolVersion: optionalString(tool.version),
  };
}

/** REST alerts have `most_recent_instance`; webhook payloads list `instances`. */
function mostRecentInstanceOf(
  place: string,
  alert: JsonObject,
): JsonObject | undefined {
  if (
    alert.most_recent_instance !== undefined &&
    alert.most_recent_instance !== null
  ) {
    return expectObject(
      FORMAT,
      placeOf(place, 'most_recent_instance'),
      alert.most_recent_instance,
    );
  }
  const instances = expectArray(
    FORMAT,
    placeOf(place, 'instances'),
    alert.instances,
  );
  if (instances.length === 0) return undefined;
  return expectObject(FORMAT, placeOf(place, 'instances[0]'), instances[0]);
}

function categoryOf(
  scanner: string,
  ruleId: string,
  tags: string[],
): FindingCategory {
  const lowerTags = new Set(tags.map(tag => tag.toLowerCase()));
  if (
    SECRET_SCANNER_NAME.test(scanner) ||
    lowerTags.has('secret') ||
    lowerTags.has('secrets')
  ) {
    return 'secret';
  }
  // Image and dependency scanners (Trivy, Grype) upload one rule per advisory.
  if (isVulnerabilityId(ruleId)) return 'sca';
  return 'sast';
}

function severityOf(rule: JsonObject): Severity {
  return (
    severityFromLabel(optionalString(rule.security_severity_level)) ??
    severityFromLabel(optionalString(rule.severity)) ??
    // SARIF's default level, which is what GitHub shows for a rule without one.
    'medium'
  );
}

function statusOf(alert: JsonObject): {
  status: FindingStatus;
  statusReason?: string;
} {
  const state = optionalString(alert.state);
  if (state === 'fixed') return { status: 'fixed' };
  if (state !== 'dismissed') return { status: 'open' };
  const reason = optionalString(alert.dismissed_reason);
  const comment = optionalString(alert.dismissed_comment);
  const statusReason =
    [reason, comment].filter(Boolean).join(': ') || undefined;
  const isFalsePositive =
    reason?.toLowerCase().replace(/_/g, ' ') === 'false positive';
  return {
    status: isFalsePositive ? 'false_positive' : 'waived',
    ...(statusReason ? { statusReason } : {}),
  };
}
