import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GithubAlertKind } from '../GithubAlertsClient';

/** A fixture of `src/__fixtures__`, parsed. */
export function readFixture(path: string): any {
  return JSON.parse(
    readFileSync(join(__dirname, '..', '__fixtures__', path), 'utf8'),
  );
}

/** The alert of GitHub's `dependabot_alert` webhook payload: a REST list item. */
export function dependabotAlert(): Record<string, any> {
  return readFixture('github-dependabot/created.payload.json').alert;
}

/** The alert of GitHub's `code_scanning_alert` webhook payload: a REST list item. */
export function codeScanningAlert(): Record<string, any> {
  return readFixture('github-code-scanning/created.payload.json').alert;
}

/** GitHub's documented secret scanning alerts (REST list). */
export function secretScanningAlerts(): Array<Record<string, any>> {
  return readFixture('github-secret-scanning/alerts.json');
}

/** `count` Dependabot alerts: the fixture's, each for another manifest. */
export function dependabotAlerts(count: number): Array<Record<string, any>> {
  return Array.from({ length: count }, (_, index) => {
    const alert = dependabotAlert();
    alert.number = index + 1;
    alert.dependency.manifest_path = `services/s${index + 1}/package-lock.json`;
    alert.html_url = alert.html_url.replace(/\/\d+$/, `/${index + 1}`);
    return alert;
  });
}

/** What the server answers for a kind: alerts, or an error status with GitHub's message. */
export type FakeAlerts = unknown[] | { status: number; message: string };

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  status: number;
}

const alertPaths: Record<string, GithubAlertKind> = {
  'dependabot/alerts': 'dependabot',
  'code-scanning/alerts': 'code-scanning',
  'secret-scanning/alerts': 'secret-scanning',
};

/**
 * A GitHub REST API in a test: repositories with alerts per kind, GitHub's
 * page-number pagination with `Link` headers, ETags with 304 answers to
 * `If-None-Match`, and one-off answers queued by tests (rate limits).
 */
export class FakeGithub {
  readonly repos = new Map<
    string,
    Partial<Record<GithubAlertKind, FakeAlerts>>
  >();
  readonly requests: RecordedRequest[] = [];
  /** Answers for the next requests whose path matches, used once each. */
  readonly queued: Array<{ match: RegExp; response: FakeResponse }> = [];
  /** Caps `per_page`, to have several pages with few alerts. */
  pageSize = 100;
  private server?: http.Server;
  baseUrl = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  setAlerts(slug: string, kind: GithubAlertKind, alerts: FakeAlerts): void {
    const repo = this.repos.get(slug) ?? {};
    repo[kind] = alerts;
    this.repos.set(slug, repo);
  }

  /** The requests for a path prefix, e.g. `/repos/o/r/dependabot/alerts`. */
  requestsTo(prefix: string): RecordedRequest[] {
    return this.requests.filter(request => request.path.startsWith(prefix));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const path = `${url.pathname}${url.search}`;
    const answer = (response: FakeResponse) => {
      this.requests.push({
        path,
        headers: req.headers,
        status: response.status,
      });
      res.writeHead(response.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        ...response.headers,
      });
      res.end(
        response.body === undefined ? undefined : JSON.stringify(response.body),
      );
    };

    const queued = this.queued.findIndex(entry => entry.match.test(path));
    if (queued >= 0) {
      const [{ response }] = this.queued.splice(queued, 1);
      answer(response);
      return;
    }

    // GitHub Enterprise Server serves the API under /api/v3.
    const apiPath = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const match = apiPath.match(/^\/repos\/([^/]+)\/([^/]+)(?:\/(.+))?$/);
    const repo = match && this.repos.get(`${match[1]}/${match[2]}`);
    if (!match || !repo) {
      answer({
        status: 404,
        body: {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404',
        },
      });
      return;
    }
    if (!match[3]) {
      answer({ status: 200, body: { full_name: `${match[1]}/${match[2]}` } });
      return;
    }
    const kind = alertPaths[match[3]];
    const alerts = kind ? repo[kind] ?? [] : undefined;
    if (alerts === undefined) {
      answer({ status: 404, body: { message: 'Not Found' } });
      return;
    }
    if (!Array.isArray(alerts)) {
      answer({
        status: alerts.status,
        body: {
          message: alerts.message,
          documentation_url: 'https://docs.github.com/rest',
        },
      });
      return;
    }

    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      this.pageSize,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const lastPage = Math.max(1, Math.ceil(alerts.length / perPage));
    const items = alerts.slice((page - 1) * perPage, page * perPage);
    const pageUrl = (n: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(n));
      return next.toString();
    };
    const links = [];
    if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`);
    links.push(`<${pageUrl(lastPage)}>; rel="last"`);
    if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`);
    const body = JSON.stringify(items);
    const etag = `W/"${createHash('sha256').update(body).digest('hex')}"`;
    const headers = { etag, link: links.join(', ') };
    if (req.headers['if-none-match'] === etag) {
      answer({ status: 304, headers });
      return;
    }
    answer({ status: 200, headers, body: items });
  }
}
