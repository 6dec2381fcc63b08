import { Config } from '@backstage/config';
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DependencyTrackComponent,
  DependencyTrackFinding,
  DependencyTrackProject,
} from './types';

/** The app-config key of this module's settings. */
export const CONFIG_KEY = 'securityScorecards.dependencyTrack';
const API_KEY_CONFIG_KEY = `${CONFIG_KEY}.apiKey`;

/**
 * How a {@link DependencyTrackClient} talks to Dependency-Track.
 *
 * @public
 */
export interface DependencyTrackClientOptions {
  /** The URL of the API server, e.g. `https://dtrack-api.example.com`; a trailing `/api` is allowed. */
  baseUrl: string;
  /** An API key of a team with VIEW_PORTFOLIO and VIEW_VULNERABILITY. */
  apiKey: string;
  /** Components asked for per page. Default 500. */
  pageSize?: number;
  /** Retries of a request answered 429 or 5xx, or that failed on the network. Default 3. */
  maxRetries?: number;
  /** Wait before the first retry, doubled for each further one, unless `Retry-After` says otherwise. Default 1000 ms. */
  retryDelayMs?: number;
  /** The longest wait before a retry, also for `Retry-After`. Default 60 000 ms. */
  maxRetryDelayMs?: number;
  /** Time limit of one request. Default 60 000 ms. */
  requestTimeoutMs?: number;
  /** Waits before a retry; injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface JsonResponse {
  body: unknown;
  headers: Headers;
}

/** Most pages read for one project, a guard against a server that never stops. */
const MAX_PAGES = 10_000;
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

const neverAborted = new AbortController().signal;

const defaultSleep = (ms: number, signal: AbortSignal) =>
  delay(ms, undefined, { signal });

/**
 * A small client of Dependency-Track's REST API (`/api/v1`, authenticated
 * with `X-Api-Key`): the calls a finding source needs, with pagination and
 * bounded retries.
 *
 * @public
 */
export class DependencyTrackClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly pageSize: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  /**
   * A client from `securityScorecards.dependencyTrack` in app-config.
   *
   * @throws Error naming the missing key when `baseUrl` or `apiKey` is missing
   */
  static fromConfig(
    config: Config,
    options: Omit<DependencyTrackClientOptions, 'baseUrl' | 'apiKey'> = {},
  ): DependencyTrackClient {
    const settings = config.getConfig(CONFIG_KEY);
    return new DependencyTrackClient({
      ...options,
      baseUrl: settings.getString('baseUrl'),
      apiKey: settings.getString('apiKey'),
    });
  }

  constructor(options: DependencyTrackClientOptions) {
    const baseUrl = withoutTrailingSlashes(options.baseUrl);
    this.baseUrl = baseUrl.endsWith('/api') ? baseUrl.slice(0, -4) : baseUrl;
    this.apiKey = options.apiKey;
    this.pageSize = options.pageSize ?? 500;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /**
   * The project with a name and version (`GET /api/v1/project/lookup`);
   * without a version, the project that has none.
   *
   * @throws NotFoundError when there is no such project
   */
  async lookupProject(
    name: string,
    version: string | undefined,
    options: { signal?: AbortSignal } = {},
  ): Promise<DependencyTrackProject> {
    const query = new URLSearchParams({ name });
    if (version !== undefined) query.set('version', version);
    const described = `a project named '${name}'${
      version === undefined
        ? ' without a version'
        : ` with version '${version}'`
    }`;
    const { body } = await this.get(
      `/api/v1/project/lookup?${query}`,
      described,
      options.signal,
    );
    const uuid =
      typeof body === 'object' && body !== null
        ? (body as { uuid?: unknown }).uuid
        : undefined;
    if (typeof uuid !== 'string' || uuid.length === 0) {
      throw new Error(
        `Dependency-Track answered the lookup of ${described} without a project UUID`,
      );
    }
    return body as DependencyTrackProject;
  }

  /**
   * All findings of a project, suppressed ones included
   * (`GET /api/v1/finding/project/{uuid}?suppressed=true`).
   *
   * @throws NotFoundError when there is no such project
   */
  async getFindings(
    projectId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<DependencyTrackFinding[]> {
    const { body } = await this.get(
      `/api/v1/finding/project/${encodeURIComponent(
        projectId,
      )}?suppressed=true`,
      `the project with UUID ${projectId}`,
      options.signal,
    );
    return expectArray(body, 'findings') as DependencyTrackFinding[];
  }

  /**
   * All components of a project, page by page
   * (`GET /api/v1/component/project/{uuid}?pageSize=&pageNumber=`), until
   * `X-Total-Count` of them were read (or, without that header, a short page).
   *
   * @throws NotFoundError when there is no such project
   */
  async getComponents(
    projectId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<DependencyTrackComponent[]> {
    const components: DependencyTrackComponent[] = [];
    for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
      const query = new URLSearchParams({
        pageSize: String(this.pageSize),
        pageNumber: String(pageNumber),
        sortName: 'name',
        sortOrder: 'asc',
      });
      const { body, headers } = await this.get(
        `/api/v1/component/project/${encodeURIComponent(projectId)}?${query}`,
        `the project with UUID ${projectId}`,
        options.signal,
      );
      const page = expectArray(
        body,
        'components',
      ) as DependencyTrackComponent[];
      components.push(...page);
      const totalHeader = headers.get('x-total-count');
      const total = totalHeader === null ? NaN : Number(totalHeader);
      const done = Number.isFinite(total)
        ? components.length >= total || page.length === 0
        : page.length < this.pageSize;
      if (done) return components;
    }
    throw new Error(
      `Dependency-Track kept answering pages of components of the project with UUID ${projectId} beyond page ${MAX_PAGES}`,
    );
  }

  /** A GET of a JSON resource, retried on 429, 5xx and network failures. */
  private async get(
    path: string,
    described: string,
    signal: AbortSignal | undefined,
  ): Promise<JsonResponse> {
    const url = `${this.baseUrl}${path}`;
    const request = `GET ${path.split('?')[0]}`;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      let response: Response;
      try {
        const timeout = AbortSignal.timeout(this.requestTimeoutMs);
        response = await fetch(url, {
          headers: { 'X-Api-Key': this.apiKey, Accept: 'application/json' },
          // A redirect must not carry the API key to another host.
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (attempt >= this.maxRetries) {
          throw new ServiceUnavailableError(
            `Dependency-Track at ${
              this.baseUrl
            } could not be reached (${request}): ${errorMessage(error)}`,
          );
        }
        await this.sleep(this.backoff(attempt), signal ?? neverAborted);
        continue;
      }

      if (response.ok) {
        const text = await response.text();
        try {
          return { body: JSON.parse(text), headers: response.headers };
        } catch {
          throw new Error(
            `Dependency-Track at ${this.baseUrl} answered ${request} with a body that is not JSON; is ${CONFIG_KEY}.baseUrl the URL of the API server rather than the frontend?`,
          );
        }
      }
      const body = await response.text().catch(() => '');
      if (RETRIED_STATUSES.has(response.status) && attempt < this.maxRetries) {
        await this.sleep(
          this.backoff(attempt, response.headers.get('retry-after')),
          signal ?? neverAborted,
        );
        continue;
      }
      throw this.errorOf(response, body, request, described, attempt);
    }
  }

  private errorOf(
    response: Response,
    body: string,
    request: string,
    described: string,
    retries: number,
  ): Error {
    const status = `${response.status}${
      response.statusText ? ` ${response.statusText}` : ''
    }`;
    const said = excerpt(body);
    switch (response.status) {
      case 401:
        return new AuthenticationError(
          `Dependency-Track at ${this.baseUrl} rejected the API key (${status}); check ${API_KEY_CONFIG_KEY}`,
        );
      case 403:
        return new NotAllowedError(
          `Dependency-Track at ${this.baseUrl} refused ${request} (${status}${
            said ? `: ${said}` : ''
          }); the API key in ${API_KEY_CONFIG_KEY} needs the permissions VIEW_PORTFOLIO and VIEW_VULNERABILITY, and access to the project`,
        );
      case 404:
        return new NotFoundError(
          `Dependency-Track at ${this.baseUrl} has no ${described.replace(
            /^(a|the) /,
            '',
          )} (${status}${said ? `: ${said}` : ''})`,
        );
      default: {
        if (response.status >= 300 && response.status < 400) {
          return new Error(
            `Dependency-Track at ${
              this.baseUrl
            } redirected ${request} (${status}) to ${
              response.headers.get('location') ?? 'another location'
            }; set ${CONFIG_KEY}.baseUrl to the URL of the API server`,
          );
        }
        const message = `Dependency-Track at ${
          this.baseUrl
        } answered ${request} with ${status}${said ? `: ${said}` : ''}${
          retries > 0 ? ` (after ${retries} retries)` : ''
        }`;
        return RETRIED_STATUSES.has(response.status)
          ? new ServiceUnavailableError(message)
          : new Error(message);
      }
    }
  }

  /** The wait before retry number `attempt + 1`: `Retry-After` when given, else exponential. */
  private backoff(attempt: number, retryAfter?: string | null): number {
    const fromHeader = retryAfterMs(retryAfter);
    const wait = fromHeader ?? this.retryDelayMs * 2 ** attempt;
    return Math.min(Math.max(wait, 0), this.maxRetryDelayMs);
  }
}

/** Milliseconds of a `Retry-After` header: delay-seconds or an HTTP date. */
function retryAfterMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

function expectArray(body: unknown, what: string): unknown[] {
  if (!Array.isArray(body)) {
    throw new Error(
      `Dependency-Track answered the ${what} with ${
        body === null ? 'null' : typeof body
      } instead of a list`,
    );
  }
  return body;
}

/** The start of a response body for an error message, on one line. */
function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text.startsWith('<')) return ''; // an HTML error page says nothing useful
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error
      ? `${error.message} (${cause.message})`
      : error.message;
  }
  return String(error);
}

/** A URL without its trailing slashes, trimmed by scanning (no regex). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
