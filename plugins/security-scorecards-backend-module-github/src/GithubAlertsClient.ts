import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { GithubAlertListState, GithubPageState, MAX_PAGES } from './listState';

/**
 * The kinds of GitHub security alerts the module reads.
 *
 * @public
 */
export type GithubAlertKind =
  | 'dependabot'
  | 'code-scanning'
  | 'secret-scanning';

/** All alert kinds, in the order they are read. */
export const GITHUB_ALERT_KINDS: readonly GithubAlertKind[] = [
  'dependabot',
  'code-scanning',
  'secret-scanning',
];

/** The REST path of each kind's list of alerts, under `/repos/{owner}/{repo}/`. */
const alertPaths: Record<GithubAlertKind, string> = {
  dependabot: 'dependabot/alerts',
  'code-scanning': 'code-scanning/alerts',
  'secret-scanning': 'secret-scanning/alerts',
};

/**
 * What GitHub answers when a kind of alerts is not switched on for a
 * repository: Dependabot alerts disabled (403), code scanning without an
 * analysis (404) or without Advanced Security (403), secret scanning
 * disabled (404).
 */
const featureOffMessage =
  /disabled|not enabled|must be enabled|no analysis found|advanced security|not available for this repository/i;

/** A repository on a GitHub host. */
export interface GithubRepository {
  /** The host of the GitHub integration, e.g. `github.com` or `ghe.example.com`. */
  host: string;
  owner: string;
  repo: string;
}

/** The alerts of one kind for one repository. */
export interface GithubAlertList {
  /** The alerts, all states, all pages; empty when {@link unavailable}. */
  alerts: unknown[];
  /**
   * False when every page answered 304 Not Modified (or the kind is still
   * unavailable) since the list whose `state` was passed as `previous`: the
   * alerts are then not read again and `alerts` is empty.
   */
  changed: boolean;
  /** Why the kind is not switched on for the repository, when it is not. */
  unavailable?: string;
  /**
   * What to pass as `previous` to the next list of the same alerts: ETags
   * and next-page URLs, never alerts.
   */
  state: GithubAlertListState;
}

/** Options of {@link GithubAlertsClient}. */
export interface GithubAlertsClientOptions {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  logger?: LoggerService;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: a timer that stops when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Default: `Date.now`. */
  now?: () => number;
  /** Requests per URL, the first included, on rate limits and 5xx. Default 3. */
  maxAttempts?: number;
  /**
   * The longest wait for a rate limit to reset before a retry. A reset
   * further away fails the collection at once (it runs again on schedule).
   * Default 60 seconds.
   */
  maxRateLimitWaitMs?: number;
  /** Entries per page. Default 100 (GitHub's maximum). */
  perPage?: number;
  /**
   * How long ETags are trusted: after this, a list reads every page again
   * even when GitHub would answer 304. Bounds how long a result that was
   * collected but not stored can be missed. Default 24 hours.
   */
  maxCacheAgeMs?: number;
}

/** A response whose body was read when the status needed it. */
interface ReadResponse {
  response: Response;
  body?: string;
}

const RATE_LIMIT_MARGIN_MS = 1000;
const SECONDARY_RATE_LIMIT_WAIT_MS = 60_000;
const SERVER_ERROR_BACKOFF_MS = 1000;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The `rel="next"` URL of a `Link` header, as GitHub writes it
 * (`<url>; rel="next", <url>; rel="last"`). Read by scanning, in linear time:
 * the header comes from the server.
 */
export function nextLinkOf(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const target = linkTargetOf(part);
    if (target && relationsOf(target.params).includes('next')) {
      return target.url.trim();
    }
  }
  return undefined;
}

/** The `<url>` of one link and the `; name=value` parameters after it. */
function linkTargetOf(
  part: string,
): { url: string; params: string } | undefined {
  let open = part.indexOf('<');
  while (open >= 0) {
    const close = part.indexOf('>', open + 1);
    if (close < 0) return undefined;
    const params = part.slice(close + 1).trimStart();
    if (close > open + 1 && params.startsWith(';')) {
      return { url: part.slice(open + 1, close), params: params.slice(1) };
    }
    open = part.indexOf('<', close + 1);
  }
  return undefined;
}

/** The relation types of the `rel` parameters of a link, lower case. */
function relationsOf(params: string): string[] {
  return params.split(';').flatMap(param => {
    const equals = param.indexOf('=');
    if (equals < 0 || param.slice(0, equals).trim().toLowerCase() !== 'rel') {
      return [];
    }
    const value = param.slice(equals + 1).trim();
    const unquoted =
      value.length >= 2 && value.startsWith('"') && value.endsWith('"')
        ? value.slice(1, -1)
        : value;
    return unquoted.toLowerCase().split(/\s+/);
  });
}

/** A URL without its trailing slashes, trimmed by scanning (no regex). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

function messageOf(body: string | undefined): string {
  if (!body) return '';
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return body.slice(0, 200);
}

/**
 * Reads GitHub security alerts through the REST API, with the credentials of
 * Backstage's GitHub integrations (a token or a GitHub App, github.com or
 * GitHub Enterprise Server).
 *
 * - Follows `Link: <…>; rel="next"` pagination, only within the API's origin.
 * - On 403/429 rate limit answers (`x-ratelimit-remaining: 0` with
 *   `x-ratelimit-reset`, `retry-after`, or a secondary rate limit message)
 *   waits until the limit resets, at most `maxRateLimitWaitMs`, and retries,
 *   at most `maxAttempts` requests in all; 5xx answers are retried too. A
 *   limit that resets later fails at once, and later requests to the same
 *   API wait for it (or fail) without asking GitHub again.
 * - Returns the ETag of each page as the list's `state`, and given it as
 *   `previous` asks again with `If-None-Match`; when every page answers 304
 *   the list is unchanged and nothing is read (304s do not count against
 *   GitHub's rate limit). Only ETags are kept, not the alerts: when some page
 *   changed, the pages before it are read again. The client keeps no ETags
 *   itself: the caller stores the state (the finding sources in the
 *   backend's database), so it survives restarts and is shared by instances.
 */
export class GithubAlertsClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly maxAttempts: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly perPage: number;
  private readonly maxCacheAgeMs: number;
  /** Per API base URL: until when its rate limit is used up. */
  private readonly rateLimitedUntil = new Map<string, number>();

  constructor(private readonly options: GithubAlertsClientOptions) {
    this.fetch = options.fetch ?? ((...args) => fetch(...args));
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.perPage = options.perPage ?? 100;
    this.maxCacheAgeMs = options.maxCacheAgeMs ?? 24 * 60 * 60 * 1000;
  }

  /**
   * Lists every alert of a kind for a repository, all states and pages.
   *
   * @param options - `previous`: the `state` of the last list of the same
   *   alerts, whose ETags are sent as `If-None-Match` (ignored when it is of
   *   another list or older than `maxCacheAgeMs`)
   * @throws NotFoundError when the repository does not exist or the
   *   credentials cannot see it; NotAllowedError / AuthenticationError when
   *   the credentials may not read the alerts; ServiceUnavailableError when
   *   the rate limit does not reset in time or GitHub keeps failing
   */
  async listAlerts(options: {
    repository: GithubRepository;
    kind: GithubAlertKind;
    previous?: GithubAlertListState;
    signal?: AbortSignal;
  }): Promise<GithubAlertList> {
    const { repository, kind, signal } = options;
    const apiBaseUrl = this.apiBaseUrlOf(repository.host);
    const headers = await this.headersFor(repository);
    const firstUrl = `${apiBaseUrl}/repos/${encodeURIComponent(
      repository.owner,
    )}/${encodeURIComponent(repository.repo)}/${alertPaths[kind]}?per_page=${
      this.perPage
    }`;
    const previous = this.freshState(options.previous, firstUrl);
    const cachedPages =
      previous && 'pages' in previous && previous.pages.length > 0
        ? previous.pages
        : undefined;

    const pages: GithubPageState[] = [];
    /** Whether every page read had an ETag: only then are they kept. */
    let allTagged = true;
    let alerts: unknown[] = [];
    let conditional = cachedPages !== undefined;
    let notModified = 0;
    let url: string | undefined = firstUrl;
    const visited = new Set<string>();
    while (url) {
      if (visited.has(url) || visited.size >= MAX_PAGES) {
        throw new Error(
          `GitHub's pagination of ${firstUrl} loops or exceeds ${MAX_PAGES} pages`,
        );
      }
      visited.add(url);
      // While conditional, every page so far answered 304, so this is the
      // page after them in the previous list.
      const page: GithubPageState | undefined = conditional
        ? cachedPages?.[notModified]
        : undefined;
      const { response, body } = await this.request(
        url,
        page ? { ...headers, 'If-None-Match': page.etag } : headers,
        apiBaseUrl,
        signal,
      );
      if (response.status === 304 && page) {
        notModified += 1;
        pages.push(page);
        url = page.next;
        continue;
      }
      if (!response.ok) {
        const unavailable = await this.classifyFailure(
          repository,
          kind,
          apiBaseUrl,
          headers,
          response,
          body,
          signal,
        );
        const same =
          previous &&
          'unavailable' in previous &&
          previous.unavailable === unavailable
            ? previous
            : undefined;
        if (!same) {
          this.options.logger?.info(
            `GitHub ${kind} alerts of ${repository.owner}/${repository.repo} on ${repository.host} are not available, read as none: ${unavailable}`,
          );
        }
        return {
          alerts: [],
          changed: !same,
          unavailable,
          state: {
            url: firstUrl,
            // The time of the last answer that was not "the same as before".
            at: same ? same.at : this.now(),
            unavailable,
          },
        };
      }
      if (notModified > 0) {
        // An earlier page was not modified, so its alerts were not read:
        // start over without conditions.
        conditional = false;
        notModified = 0;
        pages.length = 0;
        visited.clear();
        alerts = [];
        url = firstUrl;
        await response.body?.cancel();
        continue;
      }
      // Once a page changed, the following pages are read in full.
      conditional = false;
      const items = JSON.parse(await response.text());
      if (!Array.isArray(items)) {
        throw new Error(
          `GitHub answered ${url} with ${typeof items}, expected a list of alerts`,
        );
      }
      alerts.push(...items);
      const next = this.sameOriginNext(
        nextLinkOf(response.headers.get('link')),
        apiBaseUrl,
      );
      const etag = response.headers.get('etag');
      if (etag) pages.push({ etag, ...(next ? { next } : {}) });
      else allTagged = false;
      url = next;
    }

    // Every page answered 304: nothing was read.
    const allPagesCached = notModified > 0;
    const state: GithubAlertListState = {
      url: firstUrl,
      // The time of the last full read, so that ETags expire even while
      // GitHub keeps answering 304.
      at: allPagesCached && previous ? previous.at : this.now(),
      // Without the ETag of some page, no list can be answered by 304s only.
      pages: allTagged ? pages : [],
    };
    if (allPagesCached) return { alerts: [], changed: false, state };
    return { alerts, changed: true, state };
  }

  /** The previous state when it is of this list and its ETags are still trusted. */
  private freshState(
    previous: GithubAlertListState | undefined,
    firstUrl: string,
  ): GithubAlertListState | undefined {
    if (!previous || previous.url !== firstUrl) return undefined;
    if (this.now() - previous.at > this.maxCacheAgeMs) return undefined;
    return previous;
  }

  private apiBaseUrlOf(host: string): string {
    const integration = this.options.integrations.github.byHost(host);
    if (!integration) {
      throw new Error(
        `No GitHub integration for host ${host}: add it under integrations.github in app-config`,
      );
    }
    const apiBaseUrl = integration.config.apiBaseUrl;
    if (!apiBaseUrl) {
      throw new Error(
        `The GitHub integration for host ${host} has no apiBaseUrl: set integrations.github[].apiBaseUrl`,
      );
    }
    return withoutTrailingSlashes(apiBaseUrl);
  }

  private async headersFor(
    repository: GithubRepository,
  ): Promise<Record<string, string>> {
    const { headers } = await this.options.credentialsProvider.getCredentials({
      url: `https://${repository.host}/${repository.owner}/${repository.repo}`,
    });
    return {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'backstage-security-scorecards',
      ...headers,
    };
  }

  /** A next page on another origin would receive the credentials: refused. */
  private sameOriginNext(
    next: string | undefined,
    apiBaseUrl: string,
  ): string | undefined {
    if (!next) return undefined;
    if (new URL(next).origin !== new URL(apiBaseUrl).origin) {
      throw new Error(
        `GitHub's next page ${next} is not on ${apiBaseUrl}; refusing to send the credentials there`,
      );
    }
    return next;
  }

  /**
   * Why a kind is unavailable for a repository (as a reason string), or
   * throws for failures that must show: a missing repository, credentials
   * that may not read the alerts, any other error.
   */
  private async classifyFailure(
    repository: GithubRepository,
    kind: GithubAlertKind,
    apiBaseUrl: string,
    headers: Record<string, string>,
    response: Response,
    readBody: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const body = readBody ?? (await response.text());
    const message = messageOf(body);
    const slug = `${repository.owner}/${repository.repo}`;
    const what = `GitHub ${kind} alerts of ${slug} on ${repository.host}`;
    if (
      (response.status === 403 || response.status === 404) &&
      featureOffMessage.test(message)
    ) {
      return `${response.status} ${message}`;
    }
    if (response.status === 404) {
      // Not Found is also what GitHub says for a repository the credentials
      // cannot see; ask for the repository itself to tell them apart.
      const repoUrl = `${apiBaseUrl}/repos/${encodeURIComponent(
        repository.owner,
      )}/${encodeURIComponent(repository.repo)}`;
      const check = await this.request(repoUrl, headers, apiBaseUrl, signal);
      await check.response.body?.cancel();
      if (check.response.status === 404) {
        throw new NotFoundError(
          `GitHub repository ${slug} not found on ${repository.host}, or the credentials of the GitHub integration cannot see it (check the github.com/project-slug annotation)`,
        );
      }
      if (check.response.ok) return `404 ${message || 'Not Found'}`;
    }
    if (response.status === 401) {
      throw new AuthenticationError(
        `${what}: GitHub rejected the credentials of the GitHub integration (401 ${message})`,
      );
    }
    if (response.status === 403) {
      throw new NotAllowedError(
        `${what}: the credentials of the GitHub integration may not read them (403 ${message}); see the module's README for the permissions needed`,
      );
    }
    throw new Error(`${what}: GitHub answered ${response.status} ${message}`);
  }

  /**
   * One GET, retried on rate limits (waiting for them to reset, within the
   * cap) and on 5xx, at most `maxAttempts` times.
   */
  private async request(
    url: string,
    headers: Record<string, string>,
    apiBaseUrl: string,
    signal: AbortSignal | undefined,
  ): Promise<ReadResponse> {
    for (let attempt = 1; ; attempt += 1) {
      await this.waitForRateLimit(apiBaseUrl, signal);
      const response = await this.fetch(url, { headers, signal });
      const limitedUntil = this.rateLimitResetOf(response);
      if (limitedUntil !== undefined) {
        this.rateLimitedUntil.set(apiBaseUrl, limitedUntil);
      }
      if (response.status === 403 || response.status === 429) {
        const body = await response.text();
        const retryAt = this.rateLimitRetryAt(response, body, limitedUntil);
        if (retryAt === undefined) return { response, body };
        this.rateLimitedUntil.set(apiBaseUrl, retryAt);
        if (attempt >= this.maxAttempts) {
          throw new ServiceUnavailableError(
            `GitHub's rate limit for ${apiBaseUrl} still applies after ${attempt} attempts (${messageOf(
              body,
            )})`,
          );
        }
        this.options.logger?.debug(
          `GitHub rate limit on ${url}; retrying at ${new Date(
            retryAt,
          ).toISOString()}`,
        );
        continue;
      }
      if (response.status >= 500 && attempt < this.maxAttempts) {
        await response.body?.cancel();
        this.options.logger?.debug(
          `GitHub answered ${response.status} on ${url}; retrying`,
        );
        await this.sleep(SERVER_ERROR_BACKOFF_MS * 2 ** (attempt - 1), signal);
        continue;
      }
      return { response };
    }
  }

  /** Waits for a used-up rate limit to reset, or fails when that is too far away. */
  private async waitForRateLimit(
    apiBaseUrl: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const until = this.rateLimitedUntil.get(apiBaseUrl);
    if (until === undefined) return;
    const wait = until - this.now();
    if (wait <= 0) {
      this.rateLimitedUntil.delete(apiBaseUrl);
      return;
    }
    if (wait > this.maxRateLimitWaitMs) {
      throw new ServiceUnavailableError(
        `GitHub's rate limit for ${apiBaseUrl} is used up until ${new Date(
          until,
        ).toISOString()}, more than ${Math.round(
          this.maxRateLimitWaitMs / 1000,
        )}s from now; collecting again on the next run`,
      );
    }
    await this.sleep(wait, signal);
    if (this.rateLimitedUntil.get(apiBaseUrl) === until) {
      this.rateLimitedUntil.delete(apiBaseUrl);
    }
  }

  /** When the primary rate limit resets, if this response used it up. */
  private rateLimitResetOf(response: Response): number | undefined {
    if (response.headers.get('x-ratelimit-remaining') !== '0') return undefined;
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (!Number.isFinite(reset) || reset <= 0) return undefined;
    return reset * 1000 + RATE_LIMIT_MARGIN_MS;
  }

  /**
   * When to retry a 403/429 that is a rate limit, or undefined for other
   * 403s (permissions, features switched off).
   */
  private rateLimitRetryAt(
    response: Response,
    body: string,
    primaryReset: number | undefined,
  ): number | undefined {
    const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
    if (response.headers.has('retry-after') && Number.isFinite(retryAfter)) {
      return this.now() + Math.max(0, retryAfter) * 1000;
    }
    if (primaryReset !== undefined) return primaryReset;
    if (response.status === 429 || /rate limit/i.test(messageOf(body))) {
      // GitHub: without headers, wait at least a minute.
      return this.now() + SECONDARY_RATE_LIMIT_WAIT_MS;
    }
    return undefined;
  }
}
