import http, { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

/** One HTTP request. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Called as the body goes out, with the bytes sent so far. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/** A complete HTTP response. */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** When and how often to try a request again. */
export interface RetryOptions {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  sleep(ms: number): Promise<void>;
  /** Told before each wait. */
  onRetry?(retry: { attempt: number; delayMs: number; reason: string }): void;
  /** The first wait when the server gives no `Retry-After`; doubles each time. Default 1 s. */
  baseDelayMs?: number;
  /** The longest wait without `Retry-After`. Default 30 s. */
  maxDelayMs?: number;
  /** The longest wait a `Retry-After` can ask for. Default 2 minutes. */
  maxRetryAfterMs?: number;
  /** How long a connection may stay silent. Default 2 minutes. */
  idleTimeoutMs?: number;
  /** The clock `Retry-After` dates are read against. */
  now?: () => number;
}

const chunkSize = 64 * 1024;
const maxResponseBytes = 16 * 1024 * 1024;
/** Connection errors worth another attempt; a refused connection or an unknown host is not. */
const transientErrorCodes = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/**
 * Sends a request, and sends it again on HTTP 429 and 5xx and on a dropped
 * connection, waiting as `Retry-After` says or else with exponential backoff.
 * Resolves with the last response (which may still be an error status) and
 * rejects with the last connection error.
 */
export async function sendWithRetries(
  request: HttpRequest,
  options: RetryOptions,
): Promise<HttpResponse> {
  const maxAttempts = Math.max(1, options.maxAttempts);
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 120_000;

  for (let attempt = 1; ; attempt += 1) {
    const backoffMs = Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
    let delayMs: number;
    let reason: string;
    try {
      const response = await sendRequest(request, idleTimeoutMs);
      if (!isRetryableStatus(response.status) || attempt >= maxAttempts) {
        return response;
      }
      const retryAfterMs = parseRetryAfter(
        response.headers['retry-after'],
        options.now?.() ?? Date.now(),
      );
      delayMs =
        retryAfterMs === undefined
          ? backoffMs
          : Math.min(retryAfterMs, options.maxRetryAfterMs ?? 120_000);
      reason = `HTTP ${response.status} ${response.statusText}`.trim();
    } catch (error) {
      if (!isTransientError(error) || attempt >= maxAttempts) {
        throw error;
      }
      delayMs = backoffMs;
      reason = (error as Error).message;
    }
    options.onRetry?.({ attempt, delayMs, reason });
    await options.sleep(delayMs);
  }
}

/** 429 Too Many Requests and server errors, but not 501 Not Implemented. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/**
 * Reads `Retry-After`: a number of seconds or an HTTP date. Undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month, e.g. `Wed, 21 Oct 2026 07:28:00 GMT`.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isTransientError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && transientErrorCodes.has(code);
}

/** Sends one request and reads the whole response. */
export function sendRequest(
  request: HttpRequest,
  idleTimeoutMs: number,
): Promise<HttpResponse> {
  const { url, body } = request;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = transport.request(url, {
      method: request.method,
      headers: {
        ...request.headers,
        ...(body ? { 'Content-Length': String(body.length) } : {}),
      },
      // No keep-alive: a finished command leaves no socket open.
      agent: false,
      timeout: idleTimeoutMs,
    });

    req.on('timeout', () => {
      req.destroy(
        Object.assign(
          new Error(`No answer from ${url.origin} for ${idleTimeoutMs} ms`),
          { code: 'ETIMEDOUT' },
        ),
      );
    });
    req.on('error', error => {
      // An early answer (e.g. 401 or 413) may close the connection while the body is still going out.
      if (!responded) reject(error);
    });
    req.on('response', res => {
      responded = true;
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > maxResponseBytes) {
          res.destroy(
            new Error(`The response is larger than ${maxResponseBytes} bytes`),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });

    if (!body) {
      req.end();
      return;
    }
    writeBody(req, body, request.onProgress, () => responded);
  });
}

/** Writes the body in chunks, waiting for the socket to drain, reporting progress. */
function writeBody(
  req: http.ClientRequest,
  body: Buffer,
  onProgress: HttpRequest['onProgress'],
  stopped: () => boolean,
): void {
  let offset = 0;
  const writeNext = (): void => {
    while (offset < body.length) {
      if (stopped() || req.destroyed) return;
      const chunk = body.subarray(offset, offset + chunkSize);
      offset += chunk.length;
      const sent = offset;
      const drained = req.write(chunk, () => onProgress?.(sent, body.length));
      if (!drained) {
        req.once('drain', writeNext);
        return;
      }
    }
    req.end();
  };
  writeNext();
}
