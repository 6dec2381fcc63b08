import { CustomErrorBase, InputError } from '@backstage/errors';
import { gunzipSync } from 'node:zlib';
import {
  looksLikeCycloneDxJson,
  looksLikeCycloneDxXml,
  parseCycloneDxJson,
  parseCycloneDxXml,
} from './cyclonedx';
import {
  looksLikeGithubCodeScanning,
  parseGithubCodeScanning,
} from './githubCodeScanning';
import {
  looksLikeGithubDependabot,
  parseGithubDependabot,
} from './githubDependabot';
import { looksLikeGitleaks, parseGitleaks } from './gitleaks';
import { looksLikeGrype, parseGrype } from './grype';
import { looksLikeNpmAudit, parseNpmAudit } from './npmAudit';
import { looksLikeOsv, parseOsv } from './osv';
import { looksLikeSarif, parseSarif } from './sarif';
import { looksLikeSpdx, parseSpdx } from './spdx';
import { looksLikeTrivy, parseTrivy } from './trivy';
import { ParsedReport, REPORT_FORMATS, ReportFormat } from './types';

/**
 * Thrown when a report, or what it decompresses to, is larger than allowed.
 * The backend answers it with HTTP 413.
 *
 * @public
 */
export class ReportTooLargeError extends CustomErrorBase {
  name = 'ReportTooLargeError' as const;
}

/**
 * How to read a report.
 *
 * @public
 */
export interface ParseReportOptions {
  /** A format, or `auto` to recognise it from the content. */
  format: ReportFormat | 'auto';
  /** `gzip` when the bytes are gzip-compressed (HTTP `Content-Encoding`). */
  contentEncoding?: string;
  /** The largest report accepted, after decompression. Default 100 MB. */
  maxBytes?: number;
  /** The deepest JSON nesting accepted. Default 64. */
  maxDepth?: number;
}

/** The default of {@link ParseReportOptions.maxBytes}: 100 MB. */
export const DEFAULT_MAX_REPORT_BYTES = 100 * 1024 * 1024;
const defaultMaxDepth = 64;

/** A JSON report format with its content test and parser, in `auto` detection order. */
const jsonFormats: Array<{
  format: ReportFormat;
  looksLike: (document: unknown) => boolean;
  parse: (document: unknown) => ParsedReport;
}> = [
  { format: 'sarif', looksLike: looksLikeSarif, parse: parseSarif },
  {
    format: 'cyclonedx',
    looksLike: looksLikeCycloneDxJson,
    parse: parseCycloneDxJson,
  },
  { format: 'spdx', looksLike: looksLikeSpdx, parse: parseSpdx },
  { format: 'trivy', looksLike: looksLikeTrivy, parse: parseTrivy },
  { format: 'grype', looksLike: looksLikeGrype, parse: parseGrype },
  { format: 'osv', looksLike: looksLikeOsv, parse: parseOsv },
  { format: 'npm-audit', looksLike: looksLikeNpmAudit, parse: parseNpmAudit },
  { format: 'gitleaks', looksLike: looksLikeGitleaks, parse: parseGitleaks },
  {
    format: 'github-dependabot',
    looksLike: looksLikeGithubDependabot,
    parse: parseGithubDependabot,
  },
  {
    format: 'github-code-scanning',
    looksLike: looksLikeGithubCodeScanning,
    parse: parseGithubCodeScanning,
  },
];

/**
 * Whether a string names a report format (or `auto`).
 *
 * @public
 */
export function isReportFormat(value: string): value is ReportFormat | 'auto' {
  return (
    value === 'auto' || (REPORT_FORMATS as readonly string[]).includes(value)
  );
}

/**
 * Reads a scanner report from its raw bytes: decompresses it when gzip-encoded,
 * enforces the size and nesting limits, recognises the format when asked to,
 * and returns its normalized findings and dependencies.
 *
 * Throws {@link ReportTooLargeError} for a report over the size limit (a gzip
 * bomb included) and an `InputError` naming the format and the place for
 * anything else it cannot read.
 *
 * @public
 */
export function parseReport(
  body: Buffer,
  options: ParseReportOptions,
): ParsedReport {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES;
  const label =
    options.format === 'auto' ? 'report' : `${options.format} report`;
  const text = decodeBody(body, options.contentEncoding, maxBytes, label);

  if (text.trimStart().startsWith('<')) {
    if (options.format !== 'auto' && options.format !== 'cyclonedx') {
      throw new InputError(
        `Invalid ${label}: expected JSON, got XML (only CycloneDX is read as XML)`,
      );
    }
    if (options.format === 'auto' && !looksLikeCycloneDxXml(text)) {
      throw new InputError(
        'Unrecognised report: XML that is not a CycloneDX BOM',
      );
    }
    return parseCycloneDxXml(text);
  }

  assertJsonDepth(text, options.maxDepth ?? defaultMaxDepth, label);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `Invalid ${label}: malformed JSON: ${(error as Error).message}`,
    );
  }

  if (options.format !== 'auto') {
    const requested = jsonFormats.find(
      candidate => candidate.format === options.format,
    );
    if (!requested) {
      throw new InputError(`Unsupported report format '${options.format}'`);
    }
    return requested.parse(document);
  }
  const detected = jsonFormats.find(candidate => candidate.looksLike(document));
  if (!detected) {
    throw new InputError(
      `Unrecognised report: the JSON matches none of ${REPORT_FORMATS.join(
        ', ',
      )}; name the format explicitly`,
    );
  }
  return detected.parse(document);
}

function decodeBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
  label: string,
): string {
  if (body.length > maxBytes) {
    throw new ReportTooLargeError(
      `The ${label} is ${body.length} bytes, more than the limit of ${maxBytes}`,
    );
  }
  const encoding = contentEncoding?.trim().toLowerCase();
  let bytes = body;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      // Bounded output: a gzip bomb stops at the limit instead of filling memory.
      bytes = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ReportTooLargeError(
          `The ${label} decompresses to more than the limit of ${maxBytes} bytes`,
        );
      }
      throw new InputError(
        `Invalid ${label}: the body is not valid gzip: ${
          (error as Error).message
        }`,
      );
    }
  } else if (encoding && encoding !== 'identity') {
    throw new InputError(
      `Unsupported Content-Encoding '${contentEncoding}': send the report as is or gzip-compressed`,
    );
  }
  if (bytes.length === 0) {
    throw new InputError(`Invalid ${label}: the body is empty`);
  }
  const text = bytes.toString('utf8');
  // A byte order mark is valid in files but not in JSON.parse.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Rejects JSON nested deeper than the limit, before it is parsed, so that no
 * later step walks a hostile structure. A single pass that skips strings.
 */
function assertJsonDepth(text: string, maxDepth: number, label: string): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c /* \ */) index += 1;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      depth += 1;
      if (depth > maxDepth) {
        throw new InputError(
          `Invalid ${label}: JSON nested deeper than ${maxDepth} levels at character ${index}`,
        );
      }
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth -= 1;
    }
  }
}
