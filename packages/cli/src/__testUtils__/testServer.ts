import http, { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A request the test server received. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The body as received. */
  body: Buffer;
  /** The body, gunzipped when it was sent with `Content-Encoding: gzip`. */
  text: string;
}

export type TestHandler = (
  request: RecordedRequest,
  res: ServerResponse,
) => void;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server that answers requests with the handlers in turn (the
 * last one answers every request after it) and records them.
 */
export async function startTestServer(
  ...handlers: TestHandler[]
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request: RecordedRequest = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://localhost'),
        headers: req.headers,
        body,
        text: (req.headers['content-encoding'] === 'gzip'
          ? gunzipSync(body)
          : body
        ).toString('utf8'),
      };
      requests.push(request);
      const handler = handlers[Math.min(requests.length, handlers.length) - 1];
      handler(request, res);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}

/** Answers with JSON. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): TestHandler {
  return (_request, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Answers with Backstage's error body. */
export function backstageError(
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
): TestHandler {
  return json(
    status,
    { error: { name, message }, response: { statusCode: status } },
    headers,
  );
}
