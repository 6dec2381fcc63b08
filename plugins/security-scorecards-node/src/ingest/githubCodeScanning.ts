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
  isJsonList,
  isJsonObject,
  JsonList,
  JsonObject,
  optionalNumber,
  optionalString,
  reportError,
  safeHttpUrl,
} from './normalize';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { ParsedReport, ReportFormat, StreamedReport } from './types';

const FORMAT: ReportFormat = 'github-code-scanning';

/** A list of alerts, the top-level array, is read one alert at a time. */
export const GITHUB_CODE_SCANNING_LAZY_PATHS: LazyJsonPath[] = [[]];

const DEFAULT_SCANNER = 'GitHub code scanning';
const MAX_TEXT_LENGTH = 4000;
const SECRET_SCANNER_NAME = /gitleaks|secretlint|trufflehog|detect-secrets/i;
/** Only real HTML tags are removed, so generic types such as `List<String>` survive. */
const HTML_TAG =
  /<\/?(?:[abipsu]|abbr|blockquote|br|code|dd|del|div|dl|dt|em|h[1-6]|hr|img|ins|kbd|li|ol|pre|samp|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|tr|tt|ul)(?:\s[^<>]*)?\/?>/gi;

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
  // Of a list read lazily, only the first alert is parsed.
  if (isJsonList(document))
    return document.length > 0 && looksLikeAlert(document.at(0));
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
  return collectReport(streamGithubCodeScanning(document));
}

/**
 * Reads GitHub code scanning alerts as {@link parseGithubCodeScanning} does,
 * except that the findings are read from the alerts as they are iterated.
 *
 * The scanner (the tools of all alerts) and the ranks of alerts that share
 * their content are known only once every alert is read, so every alert is
 * read here first, one at a time, keeping only its content key, number and
 * tool. An alert that cannot be read ends that pass without an error: the
 * findings throw it, naming its place, when they reach it.
 *
 * @param document - the JSON alerts; a top-level list may be a lazy array
 * @returns the report, its findings read on iteration
 * @throws InputError when the document holds no alerts
 */
export function streamGithubCodeScanning(document: unknown): StreamedReport {
  const alerts = alertsOf(document);

  const tools = new Map<string, string | undefined>();
  const numbersByContent = new Map<string, Array<number | undefined>>();
  try {
    for (let index = 0; index < alerts.list.length; index++) {
      const draft = parseAlert(alerts.placeOf(index), alerts.list.at(index));
      if (!tools.has(draft.finding.scanner))
        tools.set(draft.finding.scanner, draft.toolVersion);
      const numbers = numbersByContent.get(draft.contentKey);
      if (numbers) numbers.push(draft.alertNumber);
      else numbersByContent.set(draft.contentKey, [draft.alertNumber]);
    }
  } catch {
    // Thrown again, at the same alert, when the findings are read.
  }
  // The ranks of the alerts of each content key, in document order; an
  // alert alone with its content has rank 0.
  const ranksByContent = new Map<string, number[]>();
  for (const [contentKey, numbers] of numbersByContent) {
    if (numbers.length > 1) ranksByContent.set(contentKey, ranksOf(numbers));
  }
  numbersByContent.clear();

  const toolNames = [...tools.keys()];
  const scannerVersion =
    toolNames.length === 1 ? tools.get(toolNames[0]) : undefined;

  return {
    format: FORMAT,
    scanner: toolNames.length > 0 ? toolNames.join(', ') : DEFAULT_SCANNER,
    ...(scannerVersion ? { scannerVersion } : {}),
    findings: rereadable(function* findings() {
      const seen = new Map<string, number>();
      for (let index = 0; index < alerts.list.length; index++) {
        const draft = parseAlert(alerts.placeOf(index), alerts.list.at(index));
        const occurrence = seen.get(draft.contentKey) ?? 0;
        seen.set(draft.contentKey, occurrence + 1);
        const rank = ranksByContent.get(draft.contentKey)?.[occurrence] ?? 0;
        yield {
          ...draft.finding,
          fingerprint: fingerprintOf(draft.contentKey, rank),
        };
      }
    }),
    dependencies: [],
  };
}

/**
 * The ranks, in alert number order, of alerts that share their content, given
 * their numbers in document order: alerts without a number come last, in
 * document order. The same alert listed twice keeps one rank, so that
 * collecting the report drops the copy.
 */
function ranksOf(numbers: Array<number | undefined>): number[] {
  const order = numbers
    .map((_, position) => position)
    .sort(
      (a, b) =>
        (numbers[a] ?? Number.MAX_SAFE_INTEGER) -
        (numbers[b] ?? Number.MAX_SAFE_INTEGER),
    );
  const ranks = new Array<number>(numbers.length);
  let rank = -1;
  order.forEach((position, index) => {
    const alertNumber = numbers[position];
    const isCopy =
      index > 0 &&
      alertNumber !== undefined &&
      alertNumber === numbers[order[index - 1]];
    if (!isCopy) rank += 1;
    ranks[position] = rank;
  });
  return ranks;
}

/** The alerts of a document, with the prefix of the JSON places of each. */
function alertsOf(document: unknown): {
  list: JsonList;
  placeOf: (index: number) => string;
} {
  if (isJsonList(document)) {
    return { list: document, placeOf: index => `[${index}]` };
  }
  if (isJsonObject(document) && document.alert !== undefined) {
    return { list: [document.alert], placeOf: () => 'alert' };
  }
  if (
    isJsonObject(document) &&
    (document.rule !== undefined || document.tool !== undefined)
  ) {
    return { list: [document], placeOf: () => '' };
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
  const htmlUrl = safeHttpUrl(alert.html_url);

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
      ...(htmlUrl ? { references: [htmlUrl] } : {}),
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
