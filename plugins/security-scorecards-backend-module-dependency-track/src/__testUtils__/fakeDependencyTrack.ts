import { AddressInfo } from 'node:net';
import http from 'node:http';
import findingsFixture from '../__fixtures__/findings.json';
import componentsFixture from '../__fixtures__/components.json';
import projectFixture from '../__fixtures__/project.json';

export const API_KEY = 'odt_test0123456789abcdefghijklmnopqrstuv';
export const PROJECT_ID = projectFixture.uuid;
export const PROJECT_NAME = projectFixture.name;
export const PROJECT_VERSION = projectFixture.version;

/** A project the fake server knows. */
export interface FakeProject {
  uuid: string;
  name: string;
  version?: string;
  findings: unknown[];
  components: unknown[];
}

/** A request the fake server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  apiKey?: string;
}

/**
 * An HTTP server answering like Dependency-Track's API server
 * (`/api/v1/project/lookup`, `/api/v1/finding/project/{uuid}`,
 * `/api/v1/component/project/{uuid}` with pageSize/pageNumber and
 * `X-Total-Count`), authenticating `X-Api-Key` the way Alpine does (401
 * without a body), with 404 bodies as Dependency-Track writes them. Faults
 * can be queued to answer the next requests with a status first.
 */
export class FakeDependencyTrack {
  readonly requests: ReceivedRequest[] = [];
  readonly projects = new Map<string, FakeProject>();
  private readonly faults: Array<{
    status: number;
    headers?: Record<string, string>;
    body?: string;
  }> = [];
  private server?: http.Server;
  baseUrl = '';

  static async start(): Promise<FakeDependencyTrack> {
    const fake = new FakeDependencyTrack();
    fake.addProject({
      uuid: PROJECT_ID,
      name: PROJECT_NAME,
      version: PROJECT_VERSION,
      findings: structuredClone(findingsFixture),
      components: structuredClone(componentsFixture),
    });
    await fake.listen();
    return fake;
  }

  addProject(project: FakeProject) {
    this.projects.set(project.uuid, project);
  }

  /** Answers the next request with this status (and body) instead. */
  failNext(status: number, headers?: Record<string, string>, body?: string) {
    this.faults.push({ status, headers, body });
  }

  async stop() {
    await new Promise<void>(resolve =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private async listen() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const apiKeyHeader = req.headers['x-api-key'];
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      apiKey: Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader,
    });

    const fault = this.faults.shift();
    if (fault) {
      res.writeHead(fault.status, fault.headers);
      res.end(fault.body ?? '');
      return;
    }
    if (req.headers['x-api-key'] !== API_KEY) {
      res.writeHead(401);
      res.end();
      return;
    }
    const json = (body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const notFound = () => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('The project could not be found.');
    };

    if (url.pathname === '/api/v1/project/lookup') {
      const name = url.searchParams.get('name');
      const version = url.searchParams.get('version') ?? undefined;
      const project = [...this.projects.values()].find(
        candidate => candidate.name === name && candidate.version === version,
      );
      if (!project) {
        notFound();
        return;
      }
      json({
        ...projectFixture,
        uuid: project.uuid,
        name: project.name,
        version: project.version,
      });
      return;
    }

    const findings = url.pathname.match(/^\/api\/v1\/finding\/project\/(.+)$/);
    if (findings) {
      const project = this.projects.get(findings[1]);
      if (!project) {
        notFound();
        return;
      }
      const suppressed = url.searchParams.get('suppressed') === 'true';
      const list = project.findings.filter(
        finding => suppressed || !(finding as any).analysis?.isSuppressed,
      );
      json(list, { 'X-Total-Count': String(list.length) });
      return;
    }

    const components = url.pathname.match(
      /^\/api\/v1\/component\/project\/(.+)$/,
    );
    if (components) {
      const project = this.projects.get(components[1]);
      if (!project) {
        notFound();
        return;
      }
      // Alpine's pagination: pageNumber counts from 1; no parameters, all.
      const pageSize = Number(url.searchParams.get('pageSize') ?? 0);
      const pageNumber = Number(url.searchParams.get('pageNumber') ?? 1);
      const page =
        pageSize > 0
          ? project.components.slice(
              (pageNumber - 1) * pageSize,
              pageNumber * pageSize,
            )
          : project.components;
      json(page, { 'X-Total-Count': String(project.components.length) });
      return;
    }

    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end('<html><body>HTTP 404 Not Found</body></html>');
  }
}
