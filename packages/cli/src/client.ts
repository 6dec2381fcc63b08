import {
  GatePolicy,
  GateResult,
  IngestScanResponse,
} from '@secdevops/plugin-security-scorecards-common';
import { CliError, errorMessage } from './errors';
import {
  HttpRequest,
  HttpResponse,
  RetryOptions,
  sendWithRetries,
} from './http';

/** How to reach the backend. */
export interface ClientOptions {
  /** The Backstage backend's base URL, e.g. `https://backstage.example.com`. */
  baseUrl: URL;
  /** A Backstage token, sent as `Authorization: Bearer`. */
  token?: string;
  retry: RetryOptions;
}

/** One report to store as a scan. */
export interface ScanUpload {
  entityRef: string;
  /** The report, gzip-compressed. */
  gzippedBody: Buffer;
  format: string;
  source?: string;
  commit?: string;
  branch?: string;
  onProgress?: (sentBytes: number) => void;
}

/** The body of `POST /gates`. */
export interface GateRequestBody {
  /** The server's default policy applies when absent. */
  policy?: GatePolicy;
  source?: string;
  commit?: string;
  branch?: string;
}

const apiPath = 'api/security-scorecards';

const statusHints: Record<number, string> = {
  401: 'Check the Backstage token: set BACKSTAGE_TOKEN or pass --token-file.',
  403: 'The token is valid but not allowed this: see "Sending scans" in the README for the external access a pipeline needs.',
  413: 'The report is larger than the backend accepts (securityScorecards.ingest.maxBodyBytes).',
};

/** The security scorecards REST API, as the CLI uses it. */
export class ScorecardsClient {
  constructor(private readonly options: ClientOptions) {}

  /** `POST /scans`: stores a report as the latest scan of its source. */
  async uploadScan(upload: ScanUpload): Promise<IngestScanResponse> {
    const response = await this.send({
      method: 'POST',
      url: this.url('scans', {
        entityRef: upload.entityRef,
        format: upload.format,
        source: upload.source,
        commit: upload.commit,
        branch: upload.branch,
      }),
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Encoding': 'gzip',
      },
      body: upload.gzippedBody,
      onProgress: upload.onProgress,
    });
    return readJson<IngestScanResponse>(
      response,
      'the upload',
      body =>
        typeof body.scanId === 'string' && typeof body.findings === 'object',
    );
  }

  /** `POST /gates`: evaluates a policy against the entity and records the run. */
  async runGate(
    entityRef: string,
    request: GateRequestBody,
  ): Promise<GateResult> {
    const response = await this.send({
      method: 'POST',
      url: this.url('gates', { entityRef }),
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify(request)),
    });
    return readJson<GateResult>(
      response,
      'the gate',
      body => typeof body.passed === 'boolean' && Array.isArray(body.rules),
    );
  }

  private url(path: string, query: Record<string, string | undefined>): URL {
    const base = new URL(this.options.baseUrl);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    const url = new URL(`${apiPath}/${path}`, base);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    return url;
  }

  private async send(request: HttpRequest): Promise<HttpResponse> {
    const { token } = this.options;
    const target = `${request.method} ${request.url.origin}${request.url.pathname}`;
    let response: HttpResponse;
    try {
      response = await sendWithRetries(
        {
          ...request,
          headers: {
            Accept: 'application/json',
            ...request.headers,
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
        },
        this.options.retry,
      );
    } catch (error) {
      throw new CliError(
        `Cannot reach Backstage at ${
          this.options.baseUrl.origin
        } (${target}): ${describeConnectionError(error)}`,
      );
    }
    if (response.status >= 200 && response.status < 300) {
      return response;
    }
    const hint = statusHints[response.status];
    throw new CliError(
      `${target} failed with HTTP ${response.status}${
        response.statusText ? ` ${response.statusText}` : ''
      }: ${serverMessage(response)}${hint ? `\n${hint}` : ''}`,
    );
  }
}

/** The message of Backstage's error body, else the start of the body. */
function serverMessage(response: HttpResponse): string {
  const text = response.body.toString('utf8');
  try {
    const body = JSON.parse(text);
    const message = body?.error?.message;
    if (typeof message === 'string' && message) return message;
  } catch {
    // Not JSON: show the text.
  }
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (!trimmed) return 'no details in the response';
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}...` : trimmed;
}

function readJson<T>(
  response: HttpResponse,
  what: string,
  looksRight: (body: Record<string, any>) => boolean,
): T {
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch (error) {
    throw new CliError(
      `Unexpected answer to ${what}: not JSON (${errorMessage(
        error,
      )}); is the URL the Backstage backend?`,
    );
  }
  if (typeof body !== 'object' || body === null || !looksRight(body)) {
    throw new CliError(
      `Unexpected answer to ${what}: ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  return body as T;
}

function describeConnectionError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused; is the backend running, and is the URL right?';
    case 'ENOTFOUND':
      return 'unknown host; check the URL';
    default:
      return errorMessage(error) || code || 'connection failed';
  }
}
