import {
  UrlReaderService,
  UrlReaderServiceReadUrlResponse,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  CollectorBinding,
  parseReport,
  ReportTooLargeError,
} from '@secdevops/plugin-security-scorecards-node';
import { createHash } from 'node:crypto';
import { Collector, CollectedScan } from './types';

/** Lists report locations of an entity, one per line (or comma separated). */
export const REPORT_URLS_ANNOTATION = 'security-scorecards/report-urls';

const MAX_URLS = 20;

/** Scan sources are at most 255 characters; long URLs keep a hash. */
function sourceOfUrl(url: string): string {
  if (url.length <= 240) return `url:${url}`;
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  return `url:${url.slice(0, 200)}…${hash}`;
}

/** The report URLs an entity lists, in order, without duplicates. */
export function reportUrlsOf(annotation: string | undefined): string[] {
  if (!annotation) return [];
  return [
    ...new Set(
      annotation
        .split(/[\s,]+/)
        .map(url => url.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * The body of a URL reader response, refused once it passes `maxBytes`:
 * streamed and counted while it arrives when the reader can stream, so an
 * endless or huge body is never held whole; checked after buffering when it
 * cannot.
 */
async function readBounded(
  response: UrlReaderServiceReadUrlResponse,
  maxBytes: number,
): Promise<Buffer> {
  const tooLarge = () =>
    new ReportTooLargeError(
      `The report is more than the limit of ${maxBytes} bytes (securityScorecards.ingest.maxBodyBytes)`,
    );
  if (!response.stream) {
    const body = await response.buffer();
    if (body.length > maxBytes) throw tooLarge();
    return body;
  }
  const stream = response.stream();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(bytes);
    }
  } finally {
    // Stops the download when the loop ended early.
    stream.destroy();
  }
  return Buffer.concat(chunks, size);
}

/**
 * The built-in `url` collector: reads each report an entity lists in
 * `security-scorecards/report-urls` (a committed SBOM, a CI artifact, a
 * release asset) through the URL reader — so every configured integration
 * and its credentials apply — detects the format as an upload does, and
 * stores each report as its own scan (source `url:<url>`). A report whose
 * ETag did not change is not read or stored again.
 *
 * The URL reader reads with the backend's credentials, so an entity may only
 * list URLs under its own location or allowed by
 * `securityScorecards.sources.url.allow` (see {@link CollectorBinding}); the
 * others are not read, each recorded as an error of the run. A report larger
 * than `maxBytes` is refused while it is read.
 */
export function createUrlCollector(options: {
  urlReader: UrlReaderService;
  /** The largest report read, `securityScorecards.ingest.maxBodyBytes`. */
  maxBytes: number;
  /** What an entity may list; usually `CollectorBinding.fromConfig(config, 'url')`. */
  binding: CollectorBinding;
  /** Hashes detected secrets, as for uploads (see `ParseReportOptions`). */
  hashSecret?: (secret: string) => string;
}): Collector {
  return {
    id: 'url',
    appliesTo: entity =>
      reportUrlsOf(entity.metadata.annotations?.[REPORT_URLS_ANNOTATION])
        .length > 0,
    defaultFrequency: { hours: 1 },
    async collect(entity, { signal, state }) {
      const urls = reportUrlsOf(
        entity.metadata.annotations?.[REPORT_URLS_ANNOTATION],
      );
      if (urls.length > MAX_URLS) {
        throw new Error(
          `${REPORT_URLS_ANNOTATION} lists ${urls.length} reports; at most ${MAX_URLS} are read`,
        );
      }
      const previousEtags: Record<string, string> = state
        ? JSON.parse(state)
        : {};
      const etags: Record<string, string> = {};
      const scans: CollectedScan[] = [];
      const errors: string[] = [];
      const readable: string[] = [];
      // Every URL is checked before the first is read.
      for (const url of urls) {
        try {
          options.binding.checkUrl(entity, url, REPORT_URLS_ANNOTATION);
          readable.push(url);
        } catch (error) {
          errors.push(`${url}: ${isError(error) ? error.message : error}`);
        }
      }
      for (const url of readable) {
        try {
          const response = await options.urlReader.readUrl(url, {
            etag: previousEtags[url],
            signal,
          });
          const report = parseReport(
            await readBounded(response, options.maxBytes),
            {
              format: 'auto',
              maxBytes: options.maxBytes,
              ...(options.hashSecret ? { hashSecret: options.hashSecret } : {}),
            },
          );
          scans.push({ source: sourceOfUrl(url), report });
          if (response.etag) etags[url] = response.etag;
        } catch (error) {
          if (isError(error) && error.name === 'NotModifiedError') {
            etags[url] = previousEtags[url];
            continue;
          }
          errors.push(`${url}: ${isError(error) ? error.message : error}`);
        }
      }
      return { scans, state: JSON.stringify(etags), errors };
    },
  };
}
