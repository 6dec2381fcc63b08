import { CustomErrorBase, InputError } from '@backstage/errors';
import { gunzipSync } from 'node:zlib';
import { collectReport } from './collectReport';
import { FailedScanError } from './failedScan';
import {
  CYCLONEDX_LAZY_PATHS,
  looksLikeCycloneDxJson,
  looksLikeCycloneDxXml,
  streamCycloneDxJson,
  streamCycloneDxXml,
} from './cyclonedx';
import {
  GITHUB_CODE_SCANNING_LAZY_PATHS,
  looksLikeGithubCodeScanning,
  streamGithubCodeScanning,
} from './githubCodeScanning';
import {
  GITHUB_DEPENDABOT_LAZY_PATHS,
  looksLikeGithubDependabot,
  streamGithubDependabot,
} from './githubDependabot';
import {
  GITLEAKS_LAZY_PATHS,
  looksLikeGitleaks,
  streamGitleaks,
} from './gitleaks';
import { GRYPE_LAZY_PATHS, looksLikeGrype, streamGrype } from './grype';
import { looksLikeNpmAudit, parseNpmAudit } from './npmAudit';
import { ParserOptions } from './normalize';
import { looksLikeOsv, OSV_LAZY_PATHS, streamOsv } from './osv';
import { LazyJsonPath, readJsonLazily } from './lazyJson';
import { looksLikeSarif, SARIF_LAZY_PATHS, streamSarif } from './sarif';
import { looksLikeSpdx, SPDX_LAZY_PATHS, streamSpdx } from './spdx';
import { looksLikeTrivy, streamTrivy, TRIVY_LAZY_PATHS } from './trivy';
import {
  ParsedReport,
  REPORT_FORMATS,
  ReportFormat,
  StreamedReport,
} from './types';

/**
 * Thrown when a report, or what it decompresses to, is larger than allowed.
 * The backend answers it with HTTP 413.
 *
 * @public
 */
export class ReportTooLargeError extends CustomErrorBase {
  name = 'ReportTooLargeError' as const;
}

export { FailedScanError };

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
  /**
   * Hashes a detected secret for its fingerprint and `secret.sha256`. Default
   * a plain SHA-256; the backend passes a keyed hash ({@link createSecretHasher})
   * so stored hashes of short secrets cannot be brute-forced offline.
   */
  hashSecret?: (secret: string) => string;
}

/** The default of {@link ParseReportOptions.maxBytes}: 100 MB. */
export const DEFAULT_MAX_REPORT_BYTES = 100 * 1024 * 1024;
const defaultMaxDepth = 64;
/** How far into an XML report its root element is looked for. */
const XML_HEAD_BYTES = 1024 * 1024;

/**
 * A JSON report format with its content test and parser, in `auto` detection
 * order. A format that can be read as it is stored names the arrays to keep
 * lazy and reads the document with them; the others get a plain document.
 */
const jsonFormats: Array<{
  format: ReportFormat;
  looksLike: (document: unknown) => boolean;
  parse: (document: unknown, options: ParserOptions) => StreamedReport;
  lazyPaths?: LazyJsonPath[];
}> = [
  {
    format: 'sarif',
    looksLike: looksLikeSarif,
    parse: streamSarif,
    lazyPaths: SARIF_LAZY_PATHS,
  },
  {
    format: 'cyclonedx',
    looksLike: looksLikeCycloneDxJson,
    parse: streamCycloneDxJson,
    lazyPaths: CYCLONEDX_LAZY_PATHS,
  },
  {
    format: 'spdx',
    looksLike: looksLikeSpdx,
    parse: streamSpdx,
    lazyPaths: SPDX_LAZY_PATHS,
  },
  {
    format: 'trivy',
    looksLike: looksLikeTrivy,
    parse: streamTrivy,
    lazyPaths: TRIVY_LAZY_PATHS,
  },
  {
    format: 'grype',
    looksLike: looksLikeGrype,
    parse: streamGrype,
    lazyPaths: GRYPE_LAZY_PATHS,
  },
  {
    format: 'osv',
    looksLike: looksLikeOsv,
    parse: streamOsv,
    lazyPaths: OSV_LAZY_PATHS,
  },
  { format: 'npm-audit', looksLike: looksLikeNpmAudit, parse: parseNpmAudit },
  {
    format: 'gitleaks',
    looksLike: looksLikeGitleaks,
    parse: streamGitleaks,
    lazyPaths: GITLEAKS_LAZY_PATHS,
  },
  {
    format: 'github-dependabot',
    looksLike: looksLikeGithubDependabot,
    parse: streamGithubDependabot,
    lazyPaths: GITHUB_DEPENDABOT_LAZY_PATHS,
  },
  {
    format: 'github-code-scanning',
    looksLike: looksLikeGithubCodeScanning,
    parse: streamGithubCodeScanning,
    lazyPaths: GITHUB_CODE_SCANNING_LAZY_PATHS,
  },
];

/**
 * The lazy paths of every JSON format, in detection order: the arrays that
 * `format=auto` keeps lazy while it recognises a report.
 */
export const ALL_JSON_LAZY_PATHS: readonly LazyJsonPath[] = jsonFormats.flatMap(
  candidate => candidate.lazyPaths ?? [],
);

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
 * and returns its normalized findings and dependencies, de-duplicated.
 *
 * Throws {@link ReportTooLargeError} for a report over the size limit (a gzip
 * bomb included), {@link FailedScanError} for a report that says its scanner
 * failed (nothing in it may close a finding), and an `InputError` naming the
 * format and the place for anything else it cannot read.
 *
 * @public
 */
export function parseReport(
  body: Buffer,
  options: ParseReportOptions,
): ParsedReport {
  return collectReport(readReport(body, options));
}

/**
 * Reads a scanner report like {@link parseReport}, but leaves the long lists
 * of JSON reports (SARIF results; CycloneDX components and vulnerabilities;
 * SPDX packages; Trivy, Grype, OSV-Scanner, gitleaks and GitHub alert lists;
 * the components and vulnerabilities of CycloneDX XML) as bytes, each element
 * parsed when iterated. npm audit reports, whose vulnerabilities are an
 * object, not a list, are read whole. The findings of a large report
 * can so be stored a batch at a time. The shape of the report, its format and
 * its version are checked here; a malformed finding throws when it is reached.
 *
 * @public
 */
export function readReport(
  body: Buffer,
  options: ParseReportOptions,
): StreamedReport {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES;
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  const label =
    options.format === 'auto' ? 'report' : `${options.format} report`;
  const bytes = decodeBody(body, options.contentEncoding, maxBytes, label);

  if (firstCharacterOf(bytes) === '<') {
    if (options.format !== 'auto' && options.format !== 'cyclonedx') {
      throw new InputError(
        `Invalid ${label}: expected JSON, got XML (only CycloneDX is read as XML)`,
      );
    }
    // The root element is in the first bytes: the whole text is decoded
    // once, by the XML reader.
    const head = textOf(bytes.subarray(0, XML_HEAD_BYTES));
    if (options.format === 'auto' && !looksLikeCycloneDxXml(head)) {
      throw new InputError(
        'Unrecognised report: XML that is not a CycloneDX BOM',
      );
    }
    return streamCycloneDxXml(bytes);
  }

  let candidates = jsonFormats;
  if (options.format !== 'auto') {
    candidates = jsonFormats.filter(
      candidate => candidate.format === options.format,
    );
    if (candidates.length === 0) {
      throw new InputError(`Unsupported report format '${options.format}'`);
    }
  }
  const { document, hasLazyArrays } = readJsonLazily(bytes, {
    lazyPaths:
      options.format === 'auto'
        ? ALL_JSON_LAZY_PATHS
        : candidates.flatMap(candidate => candidate.lazyPaths ?? []),
    maxDepth,
    label,
  });

  const detected =
    options.format === 'auto'
      ? candidates.find(candidate => candidate.looksLike(document))
      : candidates[0];
  if (!detected) {
    throw new InputError(
      `Unrecognised report: the JSON matches none of ${REPORT_FORMATS.join(
        ', ',
      )}; name the format explicitly`,
    );
  }
  const parserOptions: ParserOptions = { hashSecret: options.hashSecret };
  if (hasLazyArrays && !detected.lazyPaths) {
    // Another format's lazy paths matched: read this one as a plain document.
    return detected.parse(
      readJsonLazily(bytes, { lazyPaths: [], maxDepth, label }).document,
      parserOptions,
    );
  }
  return detected.parse(document, parserOptions);
}

function decodeBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
  label: string,
): Buffer {
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
  return bytes;
}

/** The text of the bytes, without a byte order mark. */
function textOf(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The first character that is not whitespace or a byte order mark. */
function firstCharacterOf(bytes: Buffer): string | undefined {
  for (let index = 0; index < Math.min(bytes.length, 4096); index++) {
    const code = bytes[index];
    if (index < 3 && [0xef, 0xbb, 0xbf][index] === code) continue;
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) {
      return String.fromCharCode(code);
    }
  }
  return undefined;
}
