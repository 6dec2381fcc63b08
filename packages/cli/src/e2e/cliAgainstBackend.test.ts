/*
 * The CLI as a pipeline runs it, against a real backend: `node
 * bin/security-scorecards ...` in a child process, talking HTTP to the
 * security scorecards backend plugin started in this test with
 * `startTestBackend` (in-memory SQLite, a mocked catalog with the entities
 * below). No HTTP is mocked.
 *
 * Authentication is Backstage's own: `startTestBackend` installs mock auth
 * services by default, which accept only the `mock-*-token` tokens of
 * backend-test-utils and ignore `backend.auth.externalAccess`. So the real
 * auth, httpAuth and permissions services of @backstage/backend-defaults
 * replace them here, and the CLI sends a static external-access token limited
 * to `security-scorecards.scan.create`, exactly as a CI pipeline would.
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import securityScorecardsBackend from '@secdevops/plugin-security-scorecards-backend';
import { parseReport } from '@secdevops/plugin-security-scorecards-node';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// A backend start and about twenty CLI processes of about a second each.
jest.setTimeout(60_000);

const packageDir = path.resolve(__dirname, '../..');
const bin = path.join(packageDir, 'bin', 'security-scorecards');
const fixtures = path.join(packageDir, 'src', '__fixtures__');

const ciToken = 'ci-token-3f9a1c0e7d2b4a6c8e0f';
/** Valid, but only allowed to read findings: uploads are forbidden. */
const readOnlyToken = 'read-only-token-8b1d5e2f9c3a';
/** Allowed to upload and to read findings: a gate lists what broke it. */
const ciReadingToken = 'ci-reading-token-5c7e9a1b3d';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
});

/** Gets a report of every format. */
const scanned = 'component:default/payments-api';
/** Gets one SARIF report with medium findings only; passes the default gate. */
const clean = 'component:default/clean-service';
/** Gets secrets and a critical finding; fails the default gate. */
const leaky = 'component:default/leaky-service';
/** Gets a Trivy report; gated with a policy file. */
const withPolicy = 'component:default/policy-service';
/** Gets uploads through the proxy that answers 503 once. */
const retried = 'component:default/retried-service';

/** One report per format the parsers read, as `[format, fixture]`. */
const reports: Array<[string, string]> = [
  ['sarif', 'Suppressions.sarif'],
  ['cyclonedx', 'TestCycloneDxPresenterDir.golden'],
  ['cyclonedx', 'bom.xml'],
  ['spdx', '04-SBOMwSecurity.json'],
  ['trivy', 'npm-with-suppressed.json.golden'],
  ['grype', 'keycloak-test.json'],
  ['osv', 'multiple-packages-with-vulns.json'],
  ['npm-audit', 'many_vulns.json'],
  ['gitleaks', 'gitleaks8_many.json'],
  ['github-dependabot', 'dependabot_alert.created.payload.json'],
  ['github-code-scanning', 'code_scanning_alert.created.payload.json'],
];

/** The backend started in `beforeAll`, e.g. `http://localhost:41237`. */
let backendUrl = '';
let temporaryDir = '';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/security-scorecards ...` and collects its output. Not
 * `spawnSync`: the backend answering it runs in this process's event loop.
 */
function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: fixtures,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        BACKSTAGE_URL: backendUrl,
        BACKSTAGE_TOKEN: ciToken,
        BACKSTAGE_PORTAL_URL: 'http://portal.example.com',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Why a run failed, for an expectation's message. */
function explain(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

function expectExit(run: CliRun, code: number) {
  if (run.code !== code) {
    throw new Error(`expected exit ${code}, got ${explain(run)}`);
  }
}

beforeAll(async () => {
  const backend = await startTestBackend({
    features: [
      securityScorecardsBackend,
      catalogServiceMock.factory({
        entities: [
          component('payments-api'),
          component('clean-service'),
          component('retried-service'),
          component('leaky-service'),
          component('policy-service'),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: ciToken, subject: 'ci' },
                  accessRestrictions: [
                    {
                      plugin: 'security-scorecards',
                      permission: 'security-scorecards.scan.create',
                    },
                  ],
                },
                {
                  type: 'static',
                  options: { token: ciReadingToken, subject: 'ci-reading' },
                  accessRestrictions: [
                    {
                      plugin: 'security-scorecards',
                      permission: [
                        'security-scorecards.scan.create',
                        'security-scorecards.findings.read',
                      ],
                    },
                  ],
                },
                {
                  type: 'static',
                  options: { token: readOnlyToken, subject: 'dashboard' },
                  accessRestrictions: [
                    {
                      plugin: 'security-scorecards',
                      permission: 'security-scorecards.findings.read',
                    },
                  ],
                },
              ],
            },
          },
        },
      }),
      // Backstage's own token checks instead of the mocks (see the top).
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  backendUrl = `http://localhost:${port}`;
  temporaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-e2e-'));
});

afterAll(() => {
  if (temporaryDir) fs.rmSync(temporaryDir, { recursive: true, force: true });
});

describe('security-scorecards against a running backend', () => {
  it.each(reports)(
    'uploads a %s report (%s) and prints what the server stored',
    async (format, fixture) => {
      const run = await runCli([
        'upload',
        '--entity',
        scanned,
        '--file',
        fixture,
        '--source',
        `${format}-${fixture}`,
        '--commit',
        '0123abc',
        '--branch',
        'main',
        '--output',
        'json',
      ]);
      expectExit(run, 0);

      // What the server stored is what the shared parsers read locally.
      const parsed = parseReport(
        fs.readFileSync(path.join(fixtures, fixture)),
        {
          format: 'auto',
        },
      );
      const { uploads } = JSON.parse(run.stdout);
      expect(uploads).toHaveLength(1);
      expect(uploads[0]).toMatchObject({
        file: fixture,
        entityRef: scanned,
        format,
        scanner: parsed.scanner,
        dependencies: parsed.dependencies.length,
        findings: {
          total: parsed.findings.length,
          new: parsed.findings.length,
          reopened: 0,
          fixed: 0,
          unchanged: 0,
        },
      });
      expect(uploads[0].scanId).toEqual(expect.any(String));
      expect(run.stderr).toContain(`Uploading ${fixture} (`);
    },
  );

  it('uploads, then fails the default gate on open secrets, naming the rule (exit 1)', async () => {
    const run = await runCli([
      'gate',
      '--entity',
      leaky,
      '--upload',
      'gitleaks8_many.json',
      '--upload',
      'multiple-packages-with-vulns.json',
    ]);
    expectExit(run, 1);
    expect(run.stdout).toContain(
      `Uploaded gitleaks8_many.json to ${leaky}: gitleaks report from gitleaks`,
    );
    expect(run.stdout).toContain(
      `Gate for ${leaky}: FAILED (2 of 3 rules failed)`,
    );
    expect(run.stdout).toMatch(
      /FAIL\s+No open critical finding\s+1 open critical finding/,
    );
    expect(run.stdout).toMatch(
      /FAIL\s+No open secret finding\s+\d+ open secret findings/,
    );
    // The CI token may not read findings: counts, and none of the findings.
    expect(run.stdout).toMatch(
      /(?<!\d)\d+ findings; listing them needs security-scorecards\.findings\.read on component:default\/leaky-service/,
    );
    expect(run.stdout).not.toContain('/conf/aws.tf');
    expect(run.stdout).toMatch(
      /pass\s+No high or critical finding past its SLA/,
    );
    expect(run.stdout).toContain(
      'Details: http://portal.example.com/catalog/default/component/leaky-service/security',
    );

    // The same verdict for machines, without uploading again.
    const json = await runCli(['gate', '--entity', leaky, '--output', 'json']);
    expectExit(json, 1);
    const result = JSON.parse(json.stdout);
    expect(result.passed).toBe(false);
    expect(
      result.rules.map((rule: { description: string; passed: boolean }) => [
        rule.description,
        rule.passed,
      ]),
    ).toEqual([
      ['No open critical finding', false],
      ['No open secret finding', false],
      ['No high or critical finding past its SLA', true],
    ]);
    expect(json.stdout).not.toContain('/conf/aws.tf');
    expect(result.rules[1].violations).toBeUndefined();
    expect(result.rules[1].violationCount).toBeGreaterThan(1);

    // A token that may also read findings gets them listed under each rule.
    const reading = await runCli(['gate', '--entity', leaky], {
      BACKSTAGE_TOKEN: ciReadingToken,
    });
    expectExit(reading, 1);
    expect(reading.stdout).toMatch(/high\s+AWS\s+\/conf\/aws\.tf:2/);
  });

  it('fails the rule of a policy file, naming it (exit 1)', async () => {
    const policy = path.join(temporaryDir, 'policy.yaml');
    fs.writeFileSync(
      policy,
      'rules:\n  - type: no-open-findings\n    severity: low\n    category: sca\n',
    );
    const run = await runCli([
      'gate',
      '--entity',
      withPolicy,
      '--policy',
      policy,
      '--upload',
      'npm-with-suppressed.json.golden',
    ]);
    expectExit(run, 1);
    expect(run.stdout).toContain('FAILED (1 of 1 rule failed)');
    expect(run.stdout).toMatch(
      /FAIL\s+No open low or higher dependency \(SCA\) finding\s+\d+ open low or higher dependency \(SCA\) findings?/,
    );
  });

  it('uploads and passes the default gate in one step (exit 0)', async () => {
    const run = await runCli([
      'gate',
      '--entity',
      clean,
      '--upload',
      'Suppressions.sarif',
      '--source',
      'sarif',
    ]);
    expectExit(run, 0);
    expect(run.stdout).toContain(
      `Uploaded Suppressions.sarif to ${clean}: sarif report`,
    );
    expect(run.stdout).toContain(`Gate for ${clean}: PASSED`);
    expect(run.stdout).toMatch(/pass\s+No open secret finding/);
    expect(run.stdout).not.toContain('FAIL');
  });

  it('retries an upload that got HTTP 503', async () => {
    // A real network hop in front of the real backend: a proxy that answers
    // the first request with 503 Service Unavailable (as a load balancer does
    // while the backend restarts) and forwards every other one unchanged. The
    // backend itself is not mocked.
    const seen: number[] = [];
    const target = new URL(backendUrl);
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (seen.length === 0) {
          seen.push(503);
          res.writeHead(503, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { name: 'Error', message: 'the backend is restarting' },
            }),
          );
          return;
        }
        const forwarded = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
          },
          upstream => {
            seen.push(upstream.statusCode ?? 0);
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          },
        );
        forwarded.on('error', error => {
          res.writeHead(502);
          res.end(String(error));
        });
        forwarded.end(body);
      });
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const run = await runCli(
        ['upload', '--entity', retried, '--file', 'Suppressions.sarif'],
        { BACKSTAGE_URL: `http://127.0.0.1:${port}` },
      );
      expectExit(run, 0);
      expect(run.stderr).toMatch(
        /HTTP 503 Service Unavailable; retrying in 1 s \(attempt 2 of 5\)/,
      );
      expect(run.stdout).toContain(
        `Uploaded Suppressions.sarif to ${retried}: sarif report from SarifSamples`,
      );
      expect(run.stdout).toContain('9 findings: 9 new');
      expect(seen).toEqual([503, 201]);
    } finally {
      await new Promise(resolve => proxy.close(resolve));
    }
  });

  it('rejects a bad token with a clear message (exit 2)', async () => {
    const run = await runCli(
      ['upload', '--entity', clean, '--file', 'Suppressions.sarif'],
      { BACKSTAGE_TOKEN: 'not-a-backstage-token' },
    );
    expectExit(run, 2);
    expect(run.stderr).toContain(
      `Error: POST ${backendUrl}/api/security-scorecards/scans failed with HTTP 401 Unauthorized`,
    );
    expect(run.stderr).toContain(
      'Check the Backstage token: set BACKSTAGE_TOKEN or pass --token-file.',
    );

    const gate = await runCli(['gate', '--entity', clean], {
      BACKSTAGE_TOKEN: '',
    });
    expectExit(gate, 2);
    expect(gate.stderr).toContain('failed with HTTP 401 Unauthorized');
  });

  it('explains a valid token that may not upload (exit 2)', async () => {
    const run = await runCli(
      ['upload', '--entity', clean, '--file', 'Suppressions.sarif'],
      { BACKSTAGE_TOKEN: readOnlyToken },
    );
    expectExit(run, 2);
    expect(run.stderr).toContain('failed with HTTP 403 Forbidden');
    expect(run.stderr).toContain('The token is valid but not allowed this');
  });

  it('reports an unreachable server (exit 2)', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise(resolve => closed.close(resolve));

    const run = await runCli(
      ['upload', '--entity', clean, '--file', 'Suppressions.sarif'],
      { BACKSTAGE_URL: `http://127.0.0.1:${port}` },
    );
    expectExit(run, 2);
    expect(run.stderr).toContain(
      `Error: Cannot reach Backstage at http://127.0.0.1:${port}`,
    );
    expect(run.stderr).toContain('connection refused');
    expect(run.stderr).not.toContain('retrying');
  });

  it('names the problem of a report that does not parse (exit 2)', async () => {
    // A SARIF report cut off in the middle, as a crashed scanner leaves it.
    const broken = path.join(temporaryDir, 'truncated.sarif');
    fs.writeFileSync(
      broken,
      fs
        .readFileSync(path.join(fixtures, 'Suppressions.sarif'))
        .subarray(0, 600),
    );

    const run = await runCli(['upload', '--entity', clean, '--file', broken]);
    expectExit(run, 2);
    expect(run.stderr).toContain(`Uploading ${broken}`);
    expect(run.stderr).toMatch(
      /failed with HTTP 400 Bad Request: Invalid report: .*JSON/,
    );

    // `validate` finds the same without a server.
    const validate = await runCli(['validate', broken], {
      BACKSTAGE_URL: '',
    });
    expectExit(validate, 2);
    expect(validate.stderr).toMatch(/Invalid report: .*JSON/);
  });
});
