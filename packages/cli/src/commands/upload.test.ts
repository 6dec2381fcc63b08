import { IngestScanResponse } from '@secdevops/plugin-security-scorecards-common';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { captureIo } from '../__testUtils__/captureIo';
import {
  backstageError,
  json,
  startTestServer,
  TestServer,
} from '../__testUtils__/testServer';
import { runCli } from '../cli';

const fixtures = resolve(__dirname, '../__fixtures__');
const sarif = join(fixtures, 'Suppressions.sarif');
const gitleaks = join(fixtures, 'gitleaks8_many.json');

const ingested: IngestScanResponse = {
  scanId: '0b6f0c4e-5d2a-4f4e-8f0e-2a8c0d9b7e61',
  entityRef: 'component:default/payments-api',
  format: 'sarif',
  scanner: 'SarifSamples',
  findings: {
    total: 9,
    new: 3,
    reopened: 1,
    fixed: 2,
    unchanged: 5,
    suppressed: 0,
  },
  dependencies: 0,
};

describe('upload', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends the report gzipped with the token and prints the summary', async () => {
    server = await startTestServer(json(201, ingested));
    const io = captureIo({
      env: { BACKSTAGE_URL: server.url, BACKSTAGE_TOKEN: 'ci-token' },
    });

    const code = await runCli(
      [
        'upload',
        '--entity',
        'Component:default/payments-api',
        '--file',
        sarif,
        '--source',
        'sarif-samples',
        '--commit',
        'abc123',
        '--branch',
        'main',
      ],
      io,
    );

    expect(code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/api/security-scorecards/scans');
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      entityRef: 'component:default/payments-api',
      format: 'auto',
      source: 'sarif-samples',
      commit: 'abc123',
      branch: 'main',
    });
    expect(request.headers).toMatchObject({
      authorization: 'Bearer ci-token',
      'content-encoding': 'gzip',
      'content-type': 'application/octet-stream',
      'content-length': String(request.body.length),
    });
    // What arrives is the gzip of the file, byte for byte once unpacked.
    expect(request.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(request.text).toBe(await readFile(sarif, 'utf8'));

    expect(io.out()).toBe(
      `Uploaded ${sarif} to component:default/payments-api: sarif report from SarifSamples (scan 0b6f0c4e-5d2a-4f4e-8f0e-2a8c0d9b7e61)\n` +
        '  9 findings: 3 new, 1 reopened, 5 unchanged; 2 fixed; 0 dependencies\n',
    );
    expect(io.err()).toMatch(
      new RegExp(
        `^Uploading ${sarif} \\(3\\.4 KB, [\\d.]+ (B|KB) gzipped\\) to component:default/payments-api\\n$`,
      ),
    );
    expect(io.sleeps).toEqual([]);
  });

  it('takes the URL from --url and the token from --token-file, keeps a base path, and uploads several files', async () => {
    server = await startTestServer(
      json(201, ingested),
      json(201, { ...ingested, format: 'gitleaks', scanner: 'gitleaks' }),
    );
    const dir = await mkdtemp(join(tmpdir(), 'scorecards-cli-'));
    const tokenFile = join(dir, 'token');
    // As secret stores mount them: the token and a newline.
    await writeFile(tokenFile, 'flag-token\n');
    const io = captureIo({
      env: { BACKSTAGE_URL: 'http://wrong.invalid', BACKSTAGE_TOKEN: 'wrong' },
    });

    const code = await runCli(
      [
        'upload',
        '-e',
        'component:default/payments-api',
        '-f',
        sarif,
        '-f',
        gitleaks,
        '--format',
        'auto',
        '--url',
        `${server.url}/backstage`,
        '--token-file',
        tokenFile,
        '--output',
        'json',
      ],
      io,
    );
    await rm(dir, { recursive: true, force: true });

    expect(code).toBe(0);
    expect(server.requests.map(r => r.url.pathname)).toEqual([
      '/backstage/api/security-scorecards/scans',
      '/backstage/api/security-scorecards/scans',
    ]);
    expect(server.requests.map(r => r.headers.authorization)).toEqual([
      'Bearer flag-token',
      'Bearer flag-token',
    ]);
    expect(server.requests[1].text).toBe(await readFile(gitleaks, 'utf8'));
    expect(JSON.parse(io.out())).toEqual({
      uploads: [
        { file: sarif, ...ingested },
        {
          file: gitleaks,
          ...ingested,
          format: 'gitleaks',
          scanner: 'gitleaks',
        },
      ],
    });
  });

  it.each([[['--token', 'secret-token']], [['--token=secret-token']]])(
    'refuses a token on the command line (%j), sending nothing',
    async (tokenArgs: string[]) => {
      server = await startTestServer(json(201, ingested));
      const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

      const code = await runCli(
        ['upload', '-e', 'component:default/payments-api', '-f', sarif].concat(
          tokenArgs,
        ),
        io,
      );

      expect(code).toBe(2);
      expect(server.requests).toEqual([]);
      expect(io.err()).toBe(
        'Error: --token is not accepted: a token on the command line shows in process listings and CI logs. Set BACKSTAGE_TOKEN or pass --token-file <path> instead.\n',
      );
    },
  );

  it('exits 2 naming a token file that is missing or empty, sending nothing', async () => {
    server = await startTestServer(json(201, ingested));
    const dir = await mkdtemp(join(tmpdir(), 'scorecards-cli-'));
    const empty = join(dir, 'empty-token');
    await writeFile(empty, '\n');
    const run = async (tokenFile: string) => {
      const io = captureIo({
        env: { BACKSTAGE_URL: server!.url, BACKSTAGE_TOKEN: 'from-env' },
      });
      const code = await runCli(
        [
          'upload',
          ...['-e', 'component:default/payments-api', '-f', sarif],
          ...['--token-file', tokenFile],
        ],
        io,
      );
      return { code, err: io.err() };
    };

    const missing = await run(join(dir, 'no-such-token'));
    const blank = await run(empty);
    await rm(dir, { recursive: true, force: true });

    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      `Error: Cannot read --token-file ${join(dir, 'no-such-token')}: ENOENT`,
    );
    expect(blank).toEqual({
      code: 2,
      err: `Error: --token-file ${empty} is empty\n`,
    });
    expect(server.requests).toEqual([]);
  });

  it('retries on 503 with exponential backoff, then succeeds', async () => {
    server = await startTestServer(
      backstageError(503, 'ServiceUnavailableError', 'Starting up'),
      backstageError(503, 'ServiceUnavailableError', 'Starting up'),
      json(201, ingested),
    );
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    const code = await runCli(
      ['upload', '-e', 'component:default/payments-api', '-f', sarif],
      io,
    );

    expect(code).toBe(0);
    expect(server.requests).toHaveLength(3);
    // The same body each time.
    expect(new Set(server.requests.map(r => r.body.toString('hex'))).size).toBe(
      1,
    );
    expect(io.sleeps).toEqual([1000, 2000]);
    expect(io.err()).toContain(
      'HTTP 503 Service Unavailable; retrying in 1 s (attempt 2 of 5)\n' +
        'HTTP 503 Service Unavailable; retrying in 2 s (attempt 3 of 5)\n',
    );
    // No token, no header.
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });

  it('waits as long as Retry-After says on 429', async () => {
    server = await startTestServer(
      backstageError(429, 'TooManyRequests', 'Slow down', {
        'Retry-After': '7',
      }),
      json(201, ingested),
    );
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    const code = await runCli(
      ['upload', '-e', 'component:default/payments-api', '-f', sarif],
      io,
    );

    expect(code).toBe(0);
    expect(io.sleeps).toEqual([7000]);
    expect(io.err()).toContain(
      'HTTP 429 Too Many Requests; retrying in 7 s (attempt 2 of 5)',
    );
  });

  it('gives up after the last attempt and exits 2 with the server message', async () => {
    server = await startTestServer(
      backstageError(502, 'BadGateway', 'upstream is down'),
    );
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    const code = await runCli(
      [
        'upload',
        '-e',
        'component:default/payments-api',
        '-f',
        sarif,
        '--max-attempts',
        '3',
      ],
      io,
    );

    expect(code).toBe(2);
    expect(server.requests).toHaveLength(3);
    expect(io.sleeps).toEqual([1000, 2000]);
    expect(io.err()).toContain(
      `Error: POST ${server.url}/api/security-scorecards/scans failed with HTTP 502 Bad Gateway: upstream is down\n`,
    );
    expect(io.out()).toBe('');
  });

  it('does not retry a bad token, and says what to check', async () => {
    server = await startTestServer(
      backstageError(401, 'AuthenticationError', 'Illegal token'),
    );
    const io = captureIo({
      env: { BACKSTAGE_URL: server.url, BACKSTAGE_TOKEN: 'expired' },
    });

    const code = await runCli(
      ['upload', '-e', 'component:default/payments-api', '-f', sarif],
      io,
    );

    expect(code).toBe(2);
    expect(server.requests).toHaveLength(1);
    expect(io.err()).toContain(
      'failed with HTTP 401 Unauthorized: Illegal token\n' +
        'Check the Backstage token: set BACKSTAGE_TOKEN or pass --token-file.\n',
    );
  });

  it('reports an unreachable server, as JSON too', async () => {
    const url = await closedPortUrl();
    const io = captureIo({ env: { BACKSTAGE_URL: url } });

    const code = await runCli(
      [
        'upload',
        '-e',
        'component:default/payments-api',
        '-f',
        sarif,
        '-o',
        'json',
      ],
      io,
    );

    expect(code).toBe(2);
    expect(io.sleeps).toEqual([]);
    const message = `Cannot reach Backstage at ${url} (POST ${url}/api/security-scorecards/scans): connection refused; is the backend running, and is the URL right?`;
    expect(io.err()).toContain(`Error: ${message}\n`);
    expect(JSON.parse(io.out())).toEqual({ error: { message } });
  });

  it('shows progress for a large upload, in plain lines outside a terminal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scorecards-cli-'));
    try {
      // Random bytes do not compress: 2 MB go over the wire.
      const large = join(dir, 'large.json');
      await writeFile(large, randomBytes(2 * 1024 * 1024));
      server = await startTestServer(json(201, ingested));

      const ci = captureIo({
        env: { BACKSTAGE_URL: server.url, CI: 'true' },
        tty: true,
      });
      expect(
        await runCli(['upload', '-e', 'component:default/a', '-f', large], ci),
      ).toBe(0);
      const lines = ci
        .err()
        .split('\n')
        .filter(line => line.startsWith(`Uploading ${large}:`));
      expect(lines.map(line => line.replace(/ \(.*\)$/, ''))).toEqual(
        [25, 50, 75, 100].map(percent => `Uploading ${large}: ${percent}%`),
      );
      expect(lines[3]).toMatch(/: 100% \(2\.0 MB of 2\.0 MB\)$/);

      const terminal = captureIo({
        env: { BACKSTAGE_URL: server.url },
        tty: true,
      });
      expect(
        await runCli(
          ['upload', '-e', 'component:default/a', '-f', large],
          terminal,
        ),
      ).toBe(0);
      expect(terminal.err()).toContain(`\rUploading ${large}: 100% (`);
      expect(terminal.err().match(/\r/g)!.length).toBeGreaterThan(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends a gzipped file as it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scorecards-cli-'));
    try {
      const gzipped = join(dir, 'results.sarif.gz');
      const bytes = gzipSync(await readFile(sarif));
      await writeFile(gzipped, bytes);
      server = await startTestServer(json(201, ingested));
      const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

      expect(
        await runCli(
          ['upload', '-e', 'component:default/a', '-f', gzipped],
          io,
        ),
      ).toBe(0);
      expect(server.requests[0].body).toEqual(bytes);
      expect(io.err()).toContain(`(${bytes.length} B, gzipped)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'no entity',
      ['upload', '-f', sarif],
      "error: required option '-e, --entity <ref>' not specified",
    ],
    [
      'an entity without a kind',
      ['upload', '-e', 'payments-api', '-f', sarif],
      "Error: --entity must be an entity reference like component:default/payments-api; got 'payments-api'",
    ],
    [
      'no URL',
      ['upload', '-e', 'component:default/a', '-f', sarif],
      'Error: No Backstage URL: pass --url or set BACKSTAGE_URL',
    ],
    [
      'a URL that is not http',
      ['upload', '-e', 'component:default/a', '-f', sarif, '--url', 'ftp://x'],
      "Error: Invalid URL 'ftp://x' (from --url): expected http or https",
    ],
    [
      'an unknown format',
      ['upload', '-e', 'component:default/a', '-f', sarif, '--format', 'pdf'],
      "error: option '--format <format>' argument 'pdf' is invalid",
    ],
    [
      'a bad attempt count',
      [
        'upload',
        '-e',
        'component:default/a',
        '-f',
        sarif,
        '--max-attempts',
        '0',
      ],
      "error: option '--max-attempts <n>' argument '0' is invalid. Must be a whole number from 1 to 20.",
    ],
    [
      'a missing file',
      [
        'upload',
        '-e',
        'component:default/a',
        '-f',
        sarif,
        '-f',
        'missing.sarif',
        '--url',
        'http://127.0.0.1:1',
      ],
      'Error: Cannot read missing.sarif: ENOENT',
    ],
  ])('exits 2 on %s', async (_name, args, message) => {
    const io = captureIo();
    expect(await runCli(args, io)).toBe(2);
    expect(io.err()).toContain(message);
  });
});

/** A URL where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>(done => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise(done => probe.close(done));
  return `http://127.0.0.1:${port}`;
}
