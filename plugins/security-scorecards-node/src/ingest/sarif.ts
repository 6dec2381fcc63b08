import {
  Cvss,
  FindingCategory,
  FindingPackage,
  FindingStatus,
  NormalizedFinding,
  Severity,
  severityFromLabel,
  severityFromScore,
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
  redactSecret,
  reportError,
  withoutSecret,
  expectList,
  JsonList,
  ParserOptions,
  safeHttpUrl,
  secretHasherOf,
} from './normalize';
import { collectReport, rereadable } from './collectReport';
import { failureReasonOf, FailedScanError } from './failedScan';
import { LazyJsonPath } from './lazyJson';
import { ParsedReport, ReportFormat, StreamedReport } from './types';

const FORMAT: ReportFormat = 'sarif';

/** The results of every run are read one at a time. */
export const SARIF_LAZY_PATHS: LazyJsonPath[] = [['runs', '*', 'results']];
const SUPPORTED_VERSION = '2.1.0';
const MAX_TEXT_LENGTH = 4000;

/** Tools whose every result is a leaked secret, whatever their rules say. */
const SECRET_SCANNER_NAME = /gitleaks|secretlint|trufflehog|detect-secrets/i;

/**
 * Only real HTML tags are removed: SAST messages are full of generic types
 * such as `List<String>` that must survive.
 */
const HTML_TAG =
  /<\/?(?:[abipsu]|abbr|blockquote|br|code|dd|del|div|dl|dt|em|h[1-6]|hr|img|ins|kbd|li|ol|pre|samp|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|tr|tt|ul)(?:\s[^<>]*)?\/?>/gi;

/** Trivy's SARIF rule names, which say what kind of problem a rule is about. */
const TRIVY_OS_PACKAGE_RULE = 'OsPackageVulnerability';
const TRIVY_LANGUAGE_PACKAGE_RULE = 'LanguageSpecificPackageVulnerability';
const TRIVY_MISCONFIGURATION_RULE = 'Misconfiguration';
const TRIVY_SECRET_RULE = 'Secret';

interface RunRules {
  /** `tool.driver.rules`, for `ruleIndex` without a tool component. */
  driver: JsonObject[];
  /** `tool.extensions[i].rules`, for `rule.toolComponent.index`. */
  extensions: JsonObject[][];
  /** Every rule of the run by id; the driver's rule wins over an extension's. */
  byId: Map<string, JsonObject>;
}

interface RunContext {
  place: string;
  toolName: string;
  isSecretScanner: boolean;
  rules: RunRules;
  artifactUris: Array<string | undefined>;
  /** Hashes secrets, and texts that may hold one, for fingerprints and `secret.sha256`. */
  hashSecret: (secret: string) => string;
}

/**
 * Counts results that share a content fingerprint, so that two identical
 * messages for the same rule in the same file stay two findings without the
 * line number (which shifts with every edit above them) being part of the
 * fingerprint.
 */
class OccurrenceCounter {
  private readonly perContent = new Map<string, number>();
  private readonly perPosition = new Map<string, number>();

  /** The 0-based occurrence of a content key; the same position repeats its occurrence. */
  occurrenceOf(contentKey: string, positionKey: string): number {
    const positioned = `${contentKey}\u0000${positionKey}`;
    const known = this.perPosition.get(positioned);
    if (known !== undefined) return known;
    const next = this.perContent.get(contentKey) ?? 0;
    this.perContent.set(contentKey, next + 1);
    this.perPosition.set(positioned, next);
    return next;
  }
}

/**
 * Tells whether a parsed JSON document is a SARIF log: an object with a
 * `runs` array and either a `$schema` that mentions SARIF or a `version`
 * that looks like a SARIF version. Versions other than 2.1.0 are detected
 * too, so that {@link parseSarif} can reject them by name.
 *
 * @param document - the parsed JSON report
 * @returns true when the document is a SARIF log
 */
export function looksLikeSarif(document: unknown): boolean {
  if (!isJsonObject(document) || !Array.isArray(document.runs)) return false;
  const schema = document.$schema;
  const version = document.version;
  return (
    (typeof schema === 'string' && /sarif/i.test(schema)) ||
    (typeof version === 'string' && /^\d+\.\d+(?:\.\d+)?$/.test(version))
  );
}

/**
 * Normalizes a SARIF 2.1.0 log: one finding per result of every run.
 *
 * Rules are found by `ruleIndex`, by `rule.index` (in `tool.extensions`
 * when `rule.toolComponent.index` says so) or by `ruleId`. Results of kind
 * `pass` or `notApplicable` are not problems and are skipped. SARIF has no
 * dependencies, so `dependencies` is always empty.
 *
 * A run whose tool did not complete its analysis is a failed scan, not a
 * clean one (SARIF 2.1.0 §3.14.23, §3.20.14): one without `results` (absent
 * or null; `[]` is a clean scan), or with an invocation whose
 * `executionSuccessful` is false.
 *
 * @param document - the parsed JSON report
 * @param options - how to hash secrets
 * @returns the normalized report
 * @throws InputError naming the JSON place when the log is not SARIF 2.1.0
 * @throws FailedScanError when a run says its tool failed, with the tool's reason
 */
export function parseSarif(
  document: unknown,
  options?: ParserOptions,
): ParsedReport {
  return collectReport(streamSarif(document, options));
}

/**
 * Reads a SARIF 2.1.0 log as {@link parseSarif} does, except that the
 * results are read as the findings are iterated; the log, its runs and its
 * rules are checked at once.
 *
 * @param document - the JSON report; `runs[].results` may be lazy arrays
 * @param options - how to hash secrets
 * @returns the report, its findings read on iteration
 * @throws InputError naming the JSON place when the log is not SARIF 2.1.0
 * @throws FailedScanError when a run says its tool failed, before any finding is read
 */
export function streamSarif(
  document: unknown,
  options?: ParserOptions,
): StreamedReport {
  const log = expectObject(FORMAT, 'the top level', document);
  checkVersion(log);
  const hashSecret = secretHasherOf(options);
  const runs = expectArray(FORMAT, 'runs', log.runs, { optional: false }).map(
    (runValue, runIndex) => readRun(`runs[${runIndex}]`, runValue, hashSecret),
  );

  // The scanner is the tools that reported something: the first result of
  // a run that is not a pass tells, without reading the rest.
  const reportingTools = new Map<string, string | undefined>();
  for (const { context, toolVersion, results } of runs) {
    if (!reportingTools.has(context.toolName) && hasProblems(results)) {
      reportingTools.set(context.toolName, toolVersion);
    }
  }
  const toolNames = [...reportingTools.keys()];
  let scanner = runs[0]?.context.toolName ?? 'SARIF';
  let scannerVersion = runs[0]?.toolVersion;
  if (toolNames.length > 0) {
    scanner = toolNames.join(', ');
    scannerVersion =
      toolNames.length === 1 ? reportingTools.get(toolNames[0]) : undefined;
  }

  return {
    format: FORMAT,
    scanner,
    ...(scannerVersion ? { scannerVersion } : {}),
    findings: rereadable(function* findings() {
      const occurrences = new OccurrenceCounter();
      for (const { context, results } of runs) {
        for (let index = 0; index < results.length; index++) {
          const finding = parseResult(
            context,
            `${context.place}.results[${index}]`,
            results.at(index),
            occurrences,
          );
          if (finding) yield finding;
        }
      }
    }),
    dependencies: [],
  };
}

function readRun(
  place: string,
  runValue: unknown,
  hashSecret: (secret: string) => string,
): { context: RunContext; toolVersion?: string; results: JsonList } {
  const run = expectObject(FORMAT, place, runValue);
  const tool = expectObject(FORMAT, `${place}.tool`, run.tool);
  const driver = expectObject(FORMAT, `${place}.tool.driver`, tool.driver);
  const toolName = optionalString(driver.name);
  if (!toolName) {
    throw reportError(FORMAT, `${place}.tool.driver.name`, 'is missing');
  }
  const toolVersion =
    optionalString(driver.semanticVersion) ?? optionalString(driver.version);
  const rules = indexRules(place, tool, driver);
  const artifactUris = artifactUrisOf(place, run);
  // Checked before any result is read: a failed run must not close findings.
  checkRunCompleted(place, run, toolName);
  return {
    context: {
      place,
      toolName,
      isSecretScanner: SECRET_SCANNER_NAME.test(toolName),
      rules,
      artifactUris,
      hashSecret,
    },
    toolVersion,
    results: expectList(FORMAT, `${place}.results`, run.results),
  };
}

/**
 * Throws {@link FailedScanError} when a run says its tool did not complete
 * the analysis: an invocation with `executionSuccessful: false`, or no
 * `results` at all, which SARIF 2.1.0 §3.14.23 reserves for a tool that
 * "failed to start, or ... was unable to run the analysis".
 */
function checkRunCompleted(
  place: string,
  run: JsonObject,
  toolName: string,
): void {
  const invocations = expectArray(
    FORMAT,
    `${place}.invocations`,
    run.invocations,
  );
  for (let index = 0; index < invocations.length; index++) {
    const invocationPlace = `${place}.invocations[${index}]`;
    const invocation = expectObject(
      FORMAT,
      invocationPlace,
      invocations[index],
    );
    if (invocation.executionSuccessful === false) {
      const reason = invocationFailureReasonOf(invocation);
      throw new FailedScanError(
        `The sarif report says that ${toolName} failed (${invocationPlace}.executionSuccessful is false)${
          reason ? `: ${reason}` : ''
        }`,
        reason,
        toolName,
      );
    }
  }
  if (run.results === undefined || run.results === null) {
    throw new FailedScanError(
      `The sarif report says that ${toolName} did not run its analysis (${place} has no results; a clean scan has an empty results list)`,
      undefined,
      toolName,
    );
  }
}

/**
 * Why an invocation failed, in the tool's words: its first error
 * notification (execution, then configuration), else any notification, else
 * the exit code's description, signal or number.
 */
function invocationFailureReasonOf(invocation: JsonObject): string | undefined {
  const notifications = [
    invocation.toolExecutionNotifications,
    invocation.toolConfigurationNotifications,
  ].flatMap(list => (Array.isArray(list) ? list.filter(isJsonObject) : []));
  const messageOf = (notification: JsonObject) => textOf(notification.message);
  const text =
    notifications
      .filter(notification => notification.level === 'error')
      .map(messageOf)
      .find(Boolean) ??
    notifications.map(messageOf).find(Boolean) ??
    optionalString(invocation.exitCodeDescription) ??
    optionalString(invocation.exitSignalName) ??
    (typeof invocation.exitCode === 'number'
      ? `exit code ${invocation.exitCode}`
      : undefined);
  const reason = text === undefined ? undefined : failureReasonOf(text);
  return reason ? reason : undefined;
}

/** Whether a run's results hold a problem: a result that is not a pass. */
function hasProblems(results: JsonList): boolean {
  for (const result of results) {
    if (!isJsonObject(result)) return true;
    const kind = optionalString(result.kind);
    if (kind !== 'pass' && kind !== 'notApplicable') return true;
  }
  return false;
}

function checkVersion(log: JsonObject): void {
  const version = log.version;
  if (version === undefined) {
    // A log without `version` is tolerated when its schema pins 2.1.0.
    if (
      typeof log.$schema === 'string' &&
      log.$schema.includes(SUPPORTED_VERSION)
    ) {
      return;
    }
    throw reportError(
      FORMAT,
      'version',
      `is missing (only SARIF ${SUPPORTED_VERSION} is supported)`,
    );
  }
  if (version !== SUPPORTED_VERSION) {
    throw reportError(
      FORMAT,
      'version',
      `SARIF version ${JSON.stringify(
        version,
      )} is not supported, only ${SUPPORTED_VERSION}`,
    );
  }
}

function indexRules(
  place: string,
  tool: JsonObject,
  driver: JsonObject,
): RunRules {
  const byId = new Map<string, JsonObject>();
  const readRules = (rulesPlace: string, value: unknown): JsonObject[] =>
    expectArray(FORMAT, rulesPlace, value).map((ruleValue, ruleIndex) => {
      const rule = expectObject(
        FORMAT,
        `${rulesPlace}[${ruleIndex}]`,
        ruleValue,
      );
      const id = optionalString(rule.id);
      if (!id)
        throw reportError(
          FORMAT,
          `${rulesPlace}[${ruleIndex}].id`,
          'is missing',
        );
      if (!byId.has(id)) byId.set(id, rule);
      return rule;
    });

  const driverRules = readRules(`${place}.tool.driver.rules`, driver.rules);
  const extensions = expectArray(
    FORMAT,
    `${place}.tool.extensions`,
    tool.extensions,
  ).map((extensionValue, extensionIndex) => {
    const extensionPlace = `${place}.tool.extensions[${extensionIndex}]`;
    const extension = expectObject(FORMAT, extensionPlace, extensionValue);
    return readRules(`${extensionPlace}.rules`, extension.rules);
  });
  return { driver: driverRules, extensions, byId };
}

function artifactUrisOf(
  place: string,
  run: JsonObject,
): Array<string | undefined> {
  return expectArray(FORMAT, `${place}.artifacts`, run.artifacts).map(
    artifact =>
      isJsonObject(artifact) && isJsonObject(artifact.location)
        ? optionalString(artifact.location.uri)
        : undefined,
  );
}

function parseResult(
  context: RunContext,
  place: string,
  resultValue: unknown,
  occurrences: OccurrenceCounter,
): NormalizedFinding | undefined {
  const result = expectObject(FORMAT, place, resultValue);
  const kind = optionalString(result.kind);
  if (kind === 'pass' || kind === 'notApplicable') return undefined;

  const { ruleId, rule } = resolveRule(context, place, result);
  const reportedMessage = messageTextOf(place, result, rule);
  const { path, line, column, snippet } = primaryLocationOf(
    context,
    place,
    result,
  );
  const tags = tagsOf(rule, result);
  const category = categoryOf(context, ruleId, rule, tags);
  const secret = category === 'secret' ? snippet : undefined;
  const message =
    category === 'secret' && !secret
      ? secretMessageWithoutSnippet(context, ruleId)
      : reportedMessage;
  const packageInfo = packageOf(ruleId, rule, message);
  const scrub = (text: string): string =>
    plainText(withoutSecret(text, secret));

  const ruleDescription =
    textOf(rule?.fullDescription) ??
    textOf(rule?.help) ??
    textOf(rule?.shortDescription);
  const title =
    textOf(rule?.shortDescription) ??
    firstLineOf(message) ??
    firstLineOf(ruleDescription) ??
    ruleId;
  const descriptionParts = [message, ruleDescription].filter(
    (part, index, parts): part is string =>
      part !== undefined && part.trim() !== '' && parts.indexOf(part) === index,
  );
  const description = scrub(descriptionParts.join('\n\n'));

  const fingerprint = fingerprintOfResult(context, result, occurrences, {
    ruleId,
    path,
    position: `${line ?? ''}:${column ?? ''}`,
    // The reported message of a secret may hold the secret: it is hashed
    // like one, so that the fingerprint stays stable without exposing it.
    message:
      category === 'secret'
        ? context.hashSecret(reportedMessage)
        : reportedMessage,
    snippet,
    packageInfo,
    secret,
  });

  const { status, statusReason } = statusOf(place, result);
  const identifiers = ruleIdentifiers(ruleId, tags);
  const cvss = cvssOf(rule);
  const helpUri = safeHttpUrl(rule?.helpUri);

  return {
    category,
    ruleId,
    title: scrub(title),
    ...(description ? { description } : {}),
    severity: severityOf(result, rule, kind),
    ...(cvss ? { cvss } : {}),
    identifiers,
    ...(packageInfo ? { package: packageInfo } : {}),
    ...(path ? { location: { path, ...(line ? { line } : {}) } } : {}),
    scanner: context.toolName,
    fingerprint,
    status,
    ...(statusReason ? { statusReason: scrub(statusReason) } : {}),
    ...(secret
      ? {
          secret: {
            redacted: redactSecret(secret),
            sha256: context.hashSecret(secret),
          },
        }
      : {}),
    ...(helpUri && !(secret && helpUri.includes(secret))
      ? { references: [helpUri] }
      : {}),
  };
}

/**
 * The message of a secret result that has no snippet. The secret is then
 * unknown, so nothing in the tool's message can be redacted, and scanners do
 * put the secret in it (some in `message.arguments`). Guessing the secret
 * from quoted or high-entropy words would leave short or low-entropy
 * secrets in place, so the reported message is never kept: the finding says
 * which tool and rule found a secret, its location says where, and the
 * rule's own description (rule metadata, not the result) is kept.
 */
function secretMessageWithoutSnippet(
  context: RunContext,
  ruleId: string,
): string {
  return `Secret detected by ${context.toolName} rule ${ruleId}.`;
}

/**
 * The most stable identity a result allows, best first: a package
 * vulnerability is the package and version (Trivy gives no fingerprints), a
 * secret is the hash of the secret in its file, then the tool's own
 * fingerprints, then the rule, file and text with an occurrence count
 * instead of the line number.
 */
function fingerprintOfResult(
  context: RunContext,
  result: JsonObject,
  occurrences: OccurrenceCounter,
  facts: {
    ruleId: string;
    path: string;
    position: string;
    message: string;
    snippet?: string;
    packageInfo?: FindingPackage;
    secret?: string;
  },
): string {
  const { ruleId, path, packageInfo, secret } = facts;
  const tool = context.toolName;
  if (packageInfo) {
    return fingerprintOf(
      FORMAT,
      'package',
      tool,
      ruleId,
      packageInfo.name,
      packageInfo.version,
      path,
    );
  }
  if (secret) {
    return fingerprintOf(
      FORMAT,
      'secret',
      tool,
      ruleId,
      path,
      context.hashSecret(secret),
    );
  }
  const reported = reportedFingerprintOf(result);
  if (reported) {
    // Tool fingerprints such as CodeQL's primaryLocationLineHash hash the
    // line's content, which can repeat in another file: the path keeps them apart.
    return fingerprintOf(FORMAT, tool, ruleId, path, ...reported);
  }
  const contentKey = fingerprintOf(
    FORMAT,
    tool,
    ruleId,
    path,
    facts.message,
    facts.snippet,
  );
  return fingerprintOf(
    contentKey,
    occurrences.occurrenceOf(contentKey, facts.position),
  );
}

/** An array index that SARIF uses, where -1 means "not given". */
function optionalIndex(place: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -1) {
    throw reportError(FORMAT, place, 'expected an array index');
  }
  return value === -1 ? undefined : value;
}

function resolveRule(
  context: RunContext,
  place: string,
  result: JsonObject,
): { ruleId: string; rule?: JsonObject } {
  const reference =
    result.rule === undefined
      ? undefined
      : expectObject(FORMAT, `${place}.rule`, result.rule);
  let componentIndex: number | undefined;
  if (reference?.toolComponent !== undefined) {
    const component = expectObject(
      FORMAT,
      `${place}.rule.toolComponent`,
      reference.toolComponent,
    );
    componentIndex = optionalIndex(
      `${place}.rule.toolComponent.index`,
      component.index,
    );
  }
  const ruleIndexPlace =
    result.ruleIndex !== undefined
      ? `${place}.ruleIndex`
      : `${place}.rule.index`;
  const ruleIndex =
    optionalIndex(`${place}.ruleIndex`, result.ruleIndex) ??
    optionalIndex(`${place}.rule.index`, reference?.index);

  let rule: JsonObject | undefined;
  if (ruleIndex !== undefined) {
    const rules =
      componentIndex === undefined
        ? context.rules.driver
        : context.rules.extensions[componentIndex];
    if (!rules) {
      throw reportError(
        FORMAT,
        `${place}.rule.toolComponent.index`,
        `points past the ${context.rules.extensions.length} tool extensions of ${context.place}`,
      );
    }
    rule = rules[ruleIndex];
    if (!rule) {
      throw reportError(
        FORMAT,
        ruleIndexPlace,
        `points past the ${rules.length} rules of its tool`,
      );
    }
  }

  for (const [idPlace, idValue] of [
    [`${place}.ruleId`, result.ruleId],
    [`${place}.rule.id`, reference?.id],
  ] as const) {
    if (idValue !== undefined && typeof idValue !== 'string') {
      throw reportError(FORMAT, idPlace, 'expected a string');
    }
  }
  const ruleId =
    optionalString(result.ruleId) ??
    optionalString(reference?.id) ??
    optionalString(rule?.id);
  if (!ruleId) {
    throw reportError(
      FORMAT,
      `${place}.ruleId`,
      'is missing and no rule reference names a rule',
    );
  }
  return { ruleId, rule: rule ?? context.rules.byId.get(ruleId) };
}

function textOf(value: unknown): string | undefined {
  return isJsonObject(value) ? optionalString(value.text) : undefined;
}

function firstLineOf(text: string | undefined): string | undefined {
  const line = text?.trim().split('\n', 1)[0].trim();
  return line ? line : undefined;
}

/** Removes HTML tags and truncates, as every stored text field must be plain and bounded. */
function plainText(text: string): string {
  const plain = text.replace(HTML_TAG, '').trim();
  return plain.length > MAX_TEXT_LENGTH
    ? `${plain.slice(0, MAX_TEXT_LENGTH - 1)}…`
    : plain;
}

function messageTextOf(
  place: string,
  result: JsonObject,
  rule: JsonObject | undefined,
): string {
  if (result.message === undefined) return '';
  const message = expectObject(FORMAT, `${place}.message`, result.message);
  let text = optionalString(message.text);
  const messageId = optionalString(message.id);
  if (
    text === undefined &&
    messageId &&
    isJsonObject(rule?.messageStrings) &&
    Object.hasOwn(rule.messageStrings, messageId)
  ) {
    text = textOf(rule.messageStrings[messageId]);
  }
  if (text === undefined) return '';
  const args = Array.isArray(message.arguments) ? message.arguments : [];
  if (args.length === 0) return text;
  return text.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
    const argument = args[Number(index)];
    return typeof argument === 'string' ? argument : placeholder;
  });
}

function primaryLocationOf(
  context: RunContext,
  place: string,
  result: JsonObject,
): { path: string; line?: number; column?: number; snippet?: string } {
  const locations = expectArray(FORMAT, `${place}.locations`, result.locations);
  if (locations.length === 0) return { path: '' };
  const location = expectObject(FORMAT, `${place}.locations[0]`, locations[0]);
  if (!isJsonObject(location.physicalLocation)) return { path: '' };
  const physical = location.physicalLocation;
  let path = '';
  if (isJsonObject(physical.artifactLocation)) {
    const artifact = physical.artifactLocation;
    const artifactIndex =
      typeof artifact.index === 'number' ? artifact.index : undefined;
    path =
      optionalString(artifact.uri) ??
      (artifactIndex === undefined
        ? undefined
        : context.artifactUris[artifactIndex]) ??
      '';
  }
  const region = isJsonObject(physical.region) ? physical.region : {};
  const line = positiveInteger(region.startLine);
  const column = positiveInteger(region.startColumn);
  const snippet = textOf(region.snippet);
  return { path, line, column, snippet };
}

function positiveInteger(value: unknown): number | undefined {
  const number = optionalNumber(value);
  return number !== undefined && Number.isInteger(number) && number > 0
    ? number
    : undefined;
}

function propertiesOf(holder: JsonObject | undefined): JsonObject {
  return holder && isJsonObject(holder.properties) ? holder.properties : {};
}

function tagsOf(rule: JsonObject | undefined, result: JsonObject): string[] {
  return [propertiesOf(rule).tags, propertiesOf(result).tags].flatMap(tags =>
    Array.isArray(tags)
      ? tags.filter((tag): tag is string => typeof tag === 'string')
      : [],
  );
}

function categoryOf(
  context: RunContext,
  ruleId: string,
  rule: JsonObject | undefined,
  tags: string[],
): FindingCategory {
  const lowerTags = new Set(tags.map(tag => tag.toLowerCase()));
  const ruleName = optionalString(rule?.name);
  if (
    context.isSecretScanner ||
    lowerTags.has('secret') ||
    lowerTags.has('secrets') ||
    ruleName === TRIVY_SECRET_RULE
  ) {
    return 'secret';
  }
  if (ruleName === TRIVY_OS_PACKAGE_RULE) return 'container';
  if (ruleName === TRIVY_LANGUAGE_PACKAGE_RULE || isVulnerabilityId(ruleId))
    return 'sca';
  if (
    ruleName === TRIVY_MISCONFIGURATION_RULE ||
    lowerTags.has('misconfiguration')
  )
    return 'iac';
  return 'sast';
}

/**
 * The package of a Trivy vulnerability result. Trivy's SARIF has no package
 * fields; its result message starts with `Package:`, `Installed Version:`
 * and `Fixed Version:` lines, which are read only for vulnerability rules.
 */
function packageOf(
  ruleId: string,
  rule: JsonObject | undefined,
  message: string,
): FindingPackage | undefined {
  const ruleName = optionalString(rule?.name);
  const isVulnerabilityRule =
    ruleName === TRIVY_OS_PACKAGE_RULE ||
    ruleName === TRIVY_LANGUAGE_PACKAGE_RULE ||
    isVulnerabilityId(ruleId);
  if (!isVulnerabilityRule) return undefined;
  const name = message.match(/^Package: *(\S[^\n]*)$/m)?.[1].trim();
  if (!name) return undefined;
  const version = message
    .match(/^Installed Version: *(\S[^\n]*)$/m)?.[1]
    .trim();
  // The spaces after the colon are trimmed with each version.
  const fixed = message.match(/^Fixed Version:([^\n]*)$/m)?.[1] ?? '';
  return {
    name,
    ...(version ? { version } : {}),
    fixedVersions: fixed
      .split(',')
      .map(fixedVersion => fixedVersion.trim())
      .filter(fixedVersion => fixedVersion !== ''),
  };
}

/** A tool's own fingerprints as sorted `key=value` parts, preferring full `fingerprints`. */
function reportedFingerprintOf(result: JsonObject): string[] | undefined {
  for (const fingerprints of [
    result.fingerprints,
    result.partialFingerprints,
  ]) {
    if (!isJsonObject(fingerprints)) continue;
    const parts = Object.keys(fingerprints)
      .sort()
      .flatMap(key => {
        const value = fingerprints[key];
        return typeof value === 'string' && value !== ''
          ? [`${key}=${value}`]
          : [];
      });
    if (parts.length > 0) return parts;
  }
  return undefined;
}

function securitySeverityOf(
  holder: JsonObject | undefined,
): Severity | undefined {
  const value = propertiesOf(holder)['security-severity'];
  const score = optionalNumber(value);
  if (score !== undefined) {
    return score >= 0 && score <= 10 ? severityFromScore(score) : undefined;
  }
  return typeof value === 'string' ? severityFromLabel(value) : undefined;
}

function severityOf(
  result: JsonObject,
  rule: JsonObject | undefined,
  kind: string | undefined,
): Severity {
  const securitySeverity =
    securitySeverityOf(result) ?? securitySeverityOf(rule);
  if (securitySeverity) return securitySeverity;
  const defaultConfiguration = isJsonObject(rule?.defaultConfiguration)
    ? rule.defaultConfiguration
    : {};
  // SARIF §3.27.10: a result that is not a failure has level "none" unless it says otherwise.
  const level =
    optionalString(result.level) ??
    (kind !== undefined && kind !== 'fail' ? 'none' : undefined) ??
    optionalString(defaultConfiguration.level) ??
    'warning';
  return severityFromLabel(level) ?? 'medium';
}

function statusOf(
  place: string,
  result: JsonObject,
): { status: FindingStatus; statusReason?: string } {
  const suppressions = expectArray(
    FORMAT,
    `${place}.suppressions`,
    result.suppressions,
  );
  for (const suppression of suppressions) {
    if (!isJsonObject(suppression)) continue;
    const status = suppression.status;
    if (status === undefined || status === null || status === 'accepted') {
      const justification = optionalString(suppression.justification);
      return {
        status: 'waived',
        ...(justification ? { statusReason: justification } : {}),
      };
    }
  }
  return { status: 'open' };
}

/** Trivy puts CVSS in rule properties; other tools have no CVSS in SARIF. */
function cvssOf(rule: JsonObject | undefined): Cvss | undefined {
  const properties = propertiesOf(rule);
  for (const [scoreKey, vectorKey, defaultVersion] of [
    ['cvssv3_baseScore', 'cvssv3_vector', '3'],
    ['cvssv2_score', 'cvssv2_vector', '2.0'],
  ] as const) {
    const score = optionalNumber(properties[scoreKey]);
    const vector = optionalString(properties[vectorKey]);
    if (score === undefined && vector === undefined) continue;
    const version = vector?.match(/^CVSS:(\d+\.\d+)\//)?.[1] ?? defaultVersion;
    return {
      version,
      ...(score !== undefined ? { score } : {}),
      ...(vector ? { vector } : {}),
    };
  }
  return undefined;
}
