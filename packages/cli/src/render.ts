import { parseEntityRef } from '@backstage/catalog-model';
import {
  GateResult,
  GateViolation,
  IngestScanResponse,
} from '@secdevops/plugin-security-scorecards-common';
import { ReportSummary } from './summary';

/**
 * The entity's Security tab in the portal. Kind and namespace are lower case
 * in portal URLs, as Backstage's entity routes write them.
 */
export function securityTabUrl(portalUrl: URL, entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const path = [
    namespace.toLocaleLowerCase('en-US'),
    kind.toLocaleLowerCase('en-US'),
    name,
  ]
    .map(encodeURIComponent)
    .join('/');
  return `${withoutTrailingSlashes(portalUrl.href)}/catalog/${path}/security`;
}

/** What one upload did, in two lines. */
export function renderUpload(file: string, result: IngestScanResponse): string {
  const { findings } = result;
  return [
    `Uploaded ${file} to ${result.entityRef}: ${result.format} report from ${result.scanner} (scan ${result.scanId})`,
    `  ${plural(findings.total, 'finding')}: ${findings.new} new, ${
      findings.reopened
    } reopened, ${findings.unchanged} unchanged; ${
      findings.fixed
    } fixed; ${plural(result.dependencies, 'dependency', 'dependencies')}`,
    '',
  ].join('\n');
}

/** What a report would add, counted by severity, category and status. */
export function renderReportSummary(summary: ReportSummary): string {
  const scanner = summary.scannerVersion
    ? `${summary.scanner} ${summary.scannerVersion}`
    : summary.scanner;
  return [
    `${summary.file}: ${summary.format} report from ${scanner}`,
    `  ${plural(summary.findings, 'finding')}, ${plural(
      summary.dependencies,
      'dependency',
      'dependencies',
    )}`,
    `  by severity: ${counts(summary.bySeverity)}`,
    `  by category: ${counts(summary.byCategory, true)}`,
    `  by status:   ${counts(summary.byStatus, true)}`,
    '',
  ].join('\n');
}

/** A gate result as a table of rules, each followed by its first violations. */
export function renderGateResult(
  result: GateResult,
  options: { maxViolations: number; securityUrl: string },
): string {
  const failed = result.rules.filter(rule => !rule.passed).length;
  const verdict = result.passed
    ? `PASSED (${plural(result.rules.length, 'rule')} passed)`
    : `FAILED (${failed} of ${plural(result.rules.length, 'rule')} failed)`;
  const lines = [`Gate for ${result.entityRef}: ${verdict}`, ''];

  const ruleWidth = Math.min(
    60,
    Math.max(4, ...result.rules.map(rule => rule.description.length)),
  );
  lines.push(`  Result  ${pad('Rule', ruleWidth)}  Details`);
  for (const rule of result.rules) {
    lines.push(
      `  ${rule.passed ? 'pass' : 'FAIL'}    ${pad(
        truncate(rule.description, ruleWidth),
        ruleWidth,
      )}  ${rule.details}`,
    );
    if (rule.violations === undefined) {
      // The server lists violating findings only to those who may read them.
      if (!rule.passed && rule.violationCount > 0) {
        lines.push(
          `          ${plural(
            rule.violationCount,
            'finding',
          )}; listing them needs security-scorecards.findings.read on ${
            result.entityRef
          }`,
        );
      }
      continue;
    }
    const shown = rule.violations.slice(0, options.maxViolations);
    lines.push(...renderViolations(shown));
    // The count covers findings past the sample; servers before it had none.
    const more =
      Math.max(rule.violationCount ?? 0, rule.violations.length) - shown.length;
    if (more > 0) {
      lines.push(`          ... and ${more} more`);
    }
  }
  lines.push('', `Details: ${options.securityUrl}`, '');
  return lines.join('\n');
}

function renderViolations(violations: GateViolation[]): string[] {
  const titleWidth = Math.min(
    60,
    Math.max(0, ...violations.map(violation => violation.title.length)),
  );
  return violations.map(violation => {
    const where = violation.location ?? violation.packageName ?? '';
    const due = violation.dueAt ? `due ${violation.dueAt.slice(0, 10)}` : '';
    return `          ${pad(violation.severity, 8)}  ${pad(
      truncate(violation.title, titleWidth),
      titleWidth,
    )}  ${[where, due].filter(Boolean).join('  ')}`.trimEnd();
  });
}

function counts(values: Record<string, number>, nonZeroOnly = false): string {
  const entries = Object.entries(values).filter(
    ([, count]) => !nonZeroOnly || count > 0,
  );
  if (entries.length === 0) return 'none';
  return entries.map(([key, count]) => `${key} ${count}`).join(', ');
}

function plural(count: number, singular: string, pluralForm = `${singular}s`) {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}

/** A URL without its trailing slashes, trimmed by scanning (no regex). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
