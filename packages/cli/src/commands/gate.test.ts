import {
  GateResult,
  GateViolation,
  IngestScanResponse,
} from '@secdevops/plugin-security-scorecards-common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { captureIo } from '../__testUtils__/captureIo';
import {
  backstageError,
  json,
  startTestServer,
  TestServer,
} from '../__testUtils__/testServer';
import { runCli } from '../cli';

const sarif = resolve(__dirname, '../__fixtures__/Suppressions.sarif');
const entityRef = 'component:default/payments-api';

const passingGate: GateResult = {
  id: 'f1e2d3c4-0000-4000-8000-000000000001',
  entityRef,
  passed: true,
  rules: [
    {
      rule: { type: 'no-open-findings', severity: 'critical' },
      description: 'No open critical finding',
      passed: true,
      details: 'No open critical finding',
      violationCount: 0,
      violations: [],
    },
    {
      rule: { type: 'min-level', level: 2 },
      description: 'Maturity level 2 or higher',
      passed: true,
      details: 'Level 2 (Managed)',
      violationCount: 0,
      violations: [],
    },
  ],
  createdAt: '2026-03-01T12:00:00.000Z',
  createdBy: 'ci-pipelines',
};

function violation(index: number, extra: Partial<GateViolation> = {}) {
  return {
    findingId: `finding-${index}`,
    severity: 'critical',
    category: 'sca',
    title: `Prototype pollution in lodash ${index}`,
    ruleId: `CVE-2026-000${index}`,
    source: 'trivy',
    packageName: 'lodash',
    ...extra,
  } as GateViolation;
}

const failingGate: GateResult = {
  ...passingGate,
  passed: false,
  rules: [
    {
      rule: { type: 'no-open-findings', severity: 'critical' },
      description: 'No open critical finding',
      passed: false,
      details: '7 open critical findings',
      violationCount: 7,
      violations: Array.from({ length: 7 }, (_, index) => violation(index + 1)),
    },
    {
      rule: { type: 'no-open-findings', category: 'secret' },
      description: 'No open secret finding',
      passed: true,
      details: 'No open secret finding',
      violationCount: 0,
      violations: [],
    },
    {
      rule: { type: 'no-past-sla', severity: 'high' },
      description: 'No high or critical finding past its SLA',
      passed: false,
      details: '1 high or critical finding past SLA',
      violationCount: 1,
      violations: [
        violation(9, {
          severity: 'high',
          category: 'sast',
          title: 'SQL injection',
          location: 'src/db.ts:42',
          packageName: undefined,
          dueAt: '2026-02-27T10:00:00.000Z',
        }),
      ],
    },
  ],
};

describe('gate', () => {
  let server: TestServer | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scorecards-cli-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 when the policy passes, with the default policy of the server', async () => {
    server = await startTestServer(json(200, passingGate));
    const io = captureIo({
      env: { BACKSTAGE_URL: server.url, BACKSTAGE_TOKEN: 'ci-token' },
    });

    expect(await runCli(['gate', '--entity', entityRef], io)).toBe(0);

    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/api/security-scorecards/gates');
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      entityRef,
    });
    expect(request.headers).toMatchObject({
      authorization: 'Bearer ci-token',
      'content-type': 'application/json',
    });
    expect(JSON.parse(request.text)).toEqual({});
    expect(io.out()).toBe(
      [
        `Gate for ${entityRef}: PASSED (2 rules passed)`,
        '',
        '  Result  Rule                        Details',
        '  pass    No open critical finding    No open critical finding',
        '  pass    Maturity level 2 or higher  Level 2 (Managed)',
        '',
        `Details: ${server.url}/catalog/default/component/payments-api/security`,
        '',
      ].join('\n'),
    );
  });

  it('exits 1 when the policy fails, listing what failed and why', async () => {
    server = await startTestServer(json(200, failingGate));
    const io = captureIo({
      env: {
        BACKSTAGE_URL: server.url,
        BACKSTAGE_PORTAL_URL: 'https://portal.example.com/',
      },
    });

    expect(
      await runCli(
        ['gate', '-e', entityRef, '--max-violations', '3', '--commit', 'abc'],
        io,
      ),
    ).toBe(1);

    expect(JSON.parse(server.requests[0].text)).toEqual({ commit: 'abc' });
    expect(io.out()).toBe(
      [
        `Gate for ${entityRef}: FAILED (2 of 3 rules failed)`,
        '',
        '  Result  Rule                                      Details',
        '  FAIL    No open critical finding                  7 open critical findings',
        '          critical  Prototype pollution in lodash 1  lodash',
        '          critical  Prototype pollution in lodash 2  lodash',
        '          critical  Prototype pollution in lodash 3  lodash',
        '          ... and 4 more',
        '  pass    No open secret finding                    No open secret finding',
        '  FAIL    No high or critical finding past its SLA  1 high or critical finding past SLA',
        '          high      SQL injection  src/db.ts:42  due 2026-02-27',
        '',
        'Details: https://portal.example.com/catalog/default/component/payments-api/security',
        '',
      ].join('\n'),
    );
  });

  it('prints the counts, and what reading the findings needs, when the answer lists no findings', async () => {
    // As the server answers a token without security-scorecards.findings.read.
    const withheld: GateResult = {
      ...failingGate,
      rules: failingGate.rules.map(
        ({ violations: _violations, ...rule }) => rule,
      ),
    };
    server = await startTestServer(json(200, withheld));
    const io = captureIo({
      env: {
        BACKSTAGE_URL: server.url,
        BACKSTAGE_PORTAL_URL: 'https://portal.example.com/',
      },
    });

    expect(await runCli(['gate', '-e', entityRef], io)).toBe(1);

    expect(io.out()).toBe(
      [
        `Gate for ${entityRef}: FAILED (2 of 3 rules failed)`,
        '',
        '  Result  Rule                                      Details',
        '  FAIL    No open critical finding                  7 open critical findings',
        `          7 findings; listing them needs security-scorecards.findings.read on ${entityRef}`,
        '  pass    No open secret finding                    No open secret finding',
        '  FAIL    No high or critical finding past its SLA  1 high or critical finding past SLA',
        `          1 finding; listing them needs security-scorecards.findings.read on ${entityRef}`,
        '',
        'Details: https://portal.example.com/catalog/default/component/payments-api/security',
        '',
      ].join('\n'),
    );
  });

  it('sends a policy file with the pipeline context, and prints JSON', async () => {
    const policyFile = join(dir, 'gate.yaml');
    await writeFile(
      policyFile,
      [
        'rules:',
        '  - type: no-new-findings',
        '    severity: high',
        '    source: semgrep',
        '  - type: no-open-findings',
        '    category: secret',
        '  - type: no-past-sla',
        '    severity: critical',
        '  - type: min-level',
        '    level: 2',
      ].join('\n'),
    );
    server = await startTestServer(json(200, failingGate));
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    const code = await runCli(
      [
        'gate',
        '-e',
        entityRef,
        '--policy',
        policyFile,
        '--source',
        'semgrep',
        '--commit',
        'abc123',
        '--branch',
        'main',
        '--portal-url',
        'https://portal.example.com',
        '-o',
        'json',
      ],
      io,
    );

    expect(code).toBe(1);
    expect(JSON.parse(server.requests[0].text)).toEqual({
      policy: {
        rules: [
          { type: 'no-new-findings', severity: 'high', source: 'semgrep' },
          { type: 'no-open-findings', category: 'secret' },
          { type: 'no-past-sla', severity: 'critical' },
          { type: 'min-level', level: 2 },
        ],
      },
      source: 'semgrep',
      commit: 'abc123',
      branch: 'main',
    });
    expect(JSON.parse(io.out())).toEqual({
      ...failingGate,
      securityUrl:
        'https://portal.example.com/catalog/default/component/payments-api/security',
      uploads: [],
    });
  });

  it('uploads first with --upload, then gates', async () => {
    const ingested: IngestScanResponse = {
      scanId: 'scan-1',
      entityRef,
      format: 'sarif',
      scanner: 'SarifSamples',
      findings: {
        total: 9,
        new: 9,
        reopened: 0,
        fixed: 0,
        unchanged: 0,
        suppressed: 0,
      },
      dependencies: 0,
    };
    server = await startTestServer(json(201, ingested), json(200, passingGate));
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    const code = await runCli(
      [
        'gate',
        '-e',
        entityRef,
        '--upload',
        sarif,
        '--source',
        'samples',
        '--branch',
        'main',
        '-o',
        'json',
      ],
      io,
    );

    expect(code).toBe(0);
    expect(server.requests.map(r => r.url.pathname)).toEqual([
      '/api/security-scorecards/scans',
      '/api/security-scorecards/gates',
    ]);
    expect(server.requests[0].url.searchParams.get('source')).toBe('samples');
    expect(server.requests[0].headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(server.requests[1].text)).toEqual({
      source: 'samples',
      branch: 'main',
    });
    expect(JSON.parse(io.out())).toMatchObject({
      passed: true,
      uploads: [{ file: sarif, ...ingested }],
    });
  });

  it('exits 2 when an upload fails, without gating', async () => {
    server = await startTestServer(
      backstageError(400, 'InputError', 'Invalid sarif report at runs'),
    );
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    expect(await runCli(['gate', '-e', entityRef, '-u', sarif], io)).toBe(2);
    expect(server.requests).toHaveLength(1);
    expect(io.err()).toContain(
      'failed with HTTP 400 Bad Request: Invalid sarif report at runs',
    );
  });

  it('exits 2 on a server error after retrying', async () => {
    server = await startTestServer(
      backstageError(500, 'Error', 'database is down'),
    );
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    expect(
      await runCli(['gate', '-e', entityRef, '--max-attempts', '2'], io),
    ).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(io.sleeps).toEqual([1000]);
    expect(io.err()).toContain(
      `Error: POST ${server.url}/api/security-scorecards/gates failed with HTTP 500 Internal Server Error: database is down`,
    );
  });

  it('exits 2 on an answer that is not a gate result', async () => {
    server = await startTestServer((_request, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>portal</html>');
    });
    const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

    expect(await runCli(['gate', '-e', entityRef], io)).toBe(2);
    expect(io.err()).toContain('Unexpected answer to the gate: not JSON (');
  });

  describe('policy files', () => {
    it.each([
      [
        'an unknown rule type',
        'rules:\n  - type: no-open-findings\n  - type: no-bugs\n',
        'rules[1].type must be one of no-new-findings, no-open-findings, no-past-sla, min-level; got "no-bugs"',
      ],
      [
        'a bad severity',
        'rules:\n  - type: no-past-sla\n    severity: urgent\n',
        'rules[0].severity must be one of critical, high, medium, low, info; got "urgent"',
      ],
      [
        'a bad category',
        'rules:\n  - type: no-open-findings\n    category: secrets\n',
        'rules[0].category must be one of sast, sca, secret, iac, container, dast, other; got "secrets"',
      ],
      [
        'a level that is not a rank',
        'rules:\n  - type: min-level\n    level: L2\n',
        'rules[0].level must be a maturity level rank, a whole number of 1 or more; got "L2"',
      ],
      [
        'a misspelt property',
        'rules:\n  - type: no-new-findings\n    severity: high\n    sources: semgrep\n',
        'rules[0].sources is not a property of a no-new-findings rule; expected type, severity, source',
      ],
      ['no rules', 'rules: []\n', 'rules must hold at least one rule'],
      [
        'an empty file',
        '',
        'the policy must be an object with rules; got nothing',
      ],
      ['YAML that does not parse', 'rules: [\n', 'not valid YAML: '],
    ])('exits 2 on %s, before any request', async (_name, text, problem) => {
      const policyFile = join(dir, 'policy.yaml');
      await writeFile(policyFile, text);
      server = await startTestServer(json(200, passingGate));
      const io = captureIo({ env: { BACKSTAGE_URL: server.url } });

      expect(
        await runCli(
          ['gate', '-e', entityRef, '-p', policyFile, '-u', sarif],
          io,
        ),
      ).toBe(2);
      expect(server.requests).toHaveLength(0);
      expect(io.err()).toContain(
        `Error: Invalid policy file ${policyFile}: ${problem}`,
      );
    });

    it('exits 2 on a missing policy file', async () => {
      const io = captureIo({ env: { BACKSTAGE_URL: 'http://127.0.0.1:1' } });
      expect(
        await runCli(['gate', '-e', entityRef, '-p', 'missing.yaml'], io),
      ).toBe(2);
      expect(io.err()).toContain(
        'Error: Cannot read the policy file missing.yaml: ENOENT',
      );
    });
  });
});
