import { UrlReaderService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { parseReport } from '@secdevops/plugin-security-scorecards-node';
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
 * The built-in `url` collector: reads each report an entity lists in
 * `security-scorecards/report-urls` (a committed SBOM, a CI artifact, a
 * release asset) through the URL reader — so every configured integration
 * and its credentials apply — detects the format as an upload does, and
 * stores each report as its own scan (source `url:<url>`). A report whose
 * ETag did not change is not read or stored again.
 */
export function createUrlCollector(options: {
  urlReader: UrlReaderService;
  maxBytes: number;
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
      for (const url of urls) {
        try {
          const response = await options.urlReader.readUrl(url, {
            etag: previousEtags[url],
            signal,
          });
          const report = parseReport(await response.buffer(), {
            format: 'auto',
            maxBytes: options.maxBytes,
          });
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
