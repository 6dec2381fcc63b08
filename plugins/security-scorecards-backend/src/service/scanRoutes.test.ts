import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { securityScorecardsFindingSourcesExtensionPoint } from '@secdevops/plugin-security-scorecards-node';
import request from 'supertest';
import { serviceComponent } from '../__testUtils__/catalog';
import { expectToMatchSpec } from '../__testUtils__/openApiSpec';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const entityRef = 'component:default/payments';
const entities: Entity[] = [serviceComponent('payments', 'team-payments')];

/** A module adding a finding source `acme-alerts` that never finds anything. */
const acmeSourceModule = createBackendModule({
  pluginId: 'security-scorecards',
  moduleId: 'acme-alerts',
  register(env) {
    env.registerInit({
      deps: { sources: securityScorecardsFindingSourcesExtensionPoint },
      async init({ sources }) {
        sources.addFindingSource({
          id: 'acme-alerts',
          defaultFrequency: { hours: 1 },
          appliesTo: () => false,
          collect: async () => undefined,
        });
      },
    });
  },
});

async function startBackend() {
  const auditor = mockServices.auditor.mock();
  const auditEvents: Array<{
    options: Record<string, any>;
    success: jest.Mock;
    fail: jest.Mock;
  }> = [];
  auditor.createEvent.mockImplementation(async options => {
    const event = { options, success: jest.fn(), fail: jest.fn() };
    auditEvents.push(event);
    return { success: event.success, fail: event.fail };
  });
  const { server } = await startTestBackend({
    features: [
      securityScorecardsPlugin,
      acmeSourceModule,
      auditor.factory,
      mockServices.database.factory(),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  return { server, auditEvents };
}

type Server = Awaited<ReturnType<typeof startBackend>>['server'];

function upload(server: Server, query: Record<string, string>, body: object) {
  return request(server)
    .post('/api/security-scorecards/scans')
    .query({ entityRef, ...query })
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
}

function findings(server: Server, query: Record<string, string> = {}) {
  return request(server)
    .get('/api/security-scorecards/findings')
    .query({
      entityRef,
      status: 'open,waived,false_positive,not_affected,fixed',
      ...query,
    });
}

function scans(server: Server) {
  return request(server)
    .get('/api/security-scorecards/scans')
    .query({ entityRef });
}

/** A SARIF result of rule `ruleId` in `path`, suppressed in the report when asked. */
function sarifResult(ruleId: string, path: string, suppressed = false) {
  return {
    ruleId,
    level: 'error',
    message: { text: `${ruleId} in ${path}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: path },
          region: { startLine: 3 },
        },
      },
    ],
    ...(suppressed
      ? {
          suppressions: [
            { kind: 'inSource', justification: 'Test data, never deployed' },
          ],
        }
      : {}),
  };
}

/** A one-run SARIF report by Semgrep; `invocations` and `results` as given. */
function sarifReport(run: { results?: object[]; invocations?: object[] }) {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'Semgrep OSS', rules: [] } }, ...run }],
  };
}

/** An empty report that could pass for any scanner's: gitleaks with no leak. */
const emptyReport: object[] = [];

describe('scan sources that collectors own', () => {
  it.each([
    ['url', 'url'],
    ['url:https://example.com/sbom.json', 'url'],
    ['acme-alerts', 'acme-alerts'],
    ['acme-alerts:org/repo', 'acme-alerts'],
  ])(
    'refuses an upload to source %s with 400 naming %s, changing nothing',
    async (source, owner) => {
      const { server, auditEvents } = await startBackend();

      const response = await upload(
        server,
        { source, format: 'gitleaks' },
        emptyReport,
      );

      expect(response.status).toBe(400);
      expectToMatchSpec('POST', '/scans', response);
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toContain(
        `is reserved for the finding source '${owner}'`,
      );
      expect((await scans(server)).body.items).toEqual([]);
      // Refused uploads are audited as failures.
      expect(auditEvents).toHaveLength(1);
      expect(auditEvents[0].options).toMatchObject({
        eventId: 'scan-create',
        meta: { entityRef, source },
      });
      expect(auditEvents[0].fail).toHaveBeenCalledWith(
        expect.objectContaining({
          error: expect.objectContaining({ name: 'InputError' }),
        }),
      );
      expect(auditEvents[0].success).not.toHaveBeenCalled();
    },
  );

  it('accepts sources that only look alike', async () => {
    const { server } = await startBackend();
    for (const source of ['urls', 'acme-alerts-ci', 'my-url:x']) {
      const response = await upload(
        server,
        { source, format: 'gitleaks' },
        emptyReport,
      );
      expect(response.status).toBe(201);
    }
  });
});

describe('findings a report suppresses', () => {
  it('are stored as reported, counted apart and filtered on', async () => {
    const { server, auditEvents } = await startBackend();

    const response = await upload(
      server,
      { source: 'semgrep' },
      sarifReport({
        results: [
          sarifResult('sql-injection', 'src/db.ts'),
          sarifResult('hardcoded-password', 'test/fixtures.ts', true),
        ],
      }),
    );

    expect(response.status).toBe(201);
    expectToMatchSpec('POST', '/scans', response);
    expect(response.body.findings).toEqual({
      total: 2,
      new: 2,
      reopened: 0,
      fixed: 0,
      unchanged: 0,
      suppressed: 1,
    });
    const history = await scans(server);
    expectToMatchSpec('GET', '/scans', history);
    expect(history.body.items[0]).toMatchObject({
      status: 'succeeded',
      findings: { suppressed: 1 },
      openFindings: { high: 1 },
    });

    const all = await findings(server);
    expectToMatchSpec('GET', '/findings', all);
    const byRule = Object.fromEntries(
      all.body.items.map((finding: any) => [finding.ruleId, finding]),
    );
    expect(byRule['hardcoded-password']).toMatchObject({
      status: 'waived',
      statusReason: 'Test data, never deployed',
      suppressedInReport: true,
    });
    expect(byRule['hardcoded-password'].waiverId).toBeUndefined();
    expect(byRule['sql-injection'].status).toBe('open');
    expect(byRule['sql-injection'].suppressedInReport).toBeUndefined();

    const suppressed = await findings(server, { suppressedInReport: 'true' });
    expect(suppressed.body.items.map((f: any) => f.ruleId)).toEqual([
      'hardcoded-password',
    ]);
    const others = await findings(server, { suppressedInReport: 'false' });
    expect(others.body.items.map((f: any) => f.ruleId)).toEqual([
      'sql-injection',
    ]);

    expect(auditEvents).toHaveLength(1);
    expect(auditEvents[0].options).toMatchObject({
      eventId: 'scan-create',
      meta: { entityRef, source: 'semgrep', format: 'auto' },
    });
    expect(auditEvents[0].success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        scanId: response.body.scanId,
        source: 'semgrep',
        format: 'sarif',
        new: 2,
        fixed: 0,
        reportSuppressed: 1,
      }),
    });
  });

  it('fail a gate rule only when it includes them', async () => {
    const { server } = await startBackend();
    await upload(
      server,
      { source: 'semgrep' },
      sarifReport({
        results: [sarifResult('hardcoded-password', 'src/config.ts', true)],
      }),
    );
    const gate = (includeReportSuppressed?: boolean) =>
      request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef })
        .send({
          policy: {
            rules: [
              {
                type: 'no-open-findings',
                ...(includeReportSuppressed !== undefined
                  ? { includeReportSuppressed }
                  : {}),
              },
            ],
          },
        });

    const lenient = await gate();
    expect(lenient.status).toBe(201);
    expect(lenient.body.passed).toBe(true);
    expect((await gate(false)).body.passed).toBe(true);

    const strict = await gate(true);
    expect(strict.status).toBe(201);
    expect(strict.body.passed).toBe(false);
    expect(strict.body.rules[0]).toMatchObject({
      description: 'No open finding, counting those suppressed in the report',
      violationCount: 1,
    });

    const invalid = await request(server)
      .post('/api/security-scorecards/gates')
      .query({ entityRef })
      .send({
        policy: {
          rules: [{ type: 'no-open-findings', includeReportSuppressed: 'yes' }],
        },
      });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain(
      'rules[0].includeReportSuppressed must be true or false',
    );
  });
});

describe('a scan whose scanner failed', () => {
  it.each([
    [
      'executionSuccessful false',
      sarifReport({
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [
              { level: 'error', message: { text: 'Out of memory' } },
            ],
          },
        ],
        results: [],
      }),
      'Out of memory',
      /Semgrep OSS failed .*: Out of memory$/,
    ],
    [
      'no results',
      sarifReport({}),
      undefined,
      /Semgrep OSS did not run its analysis/,
    ],
  ])(
    'with %s is answered 422, recorded as failed, and fixes nothing',
    async (_case, failedReport, reason, message) => {
      const { server, auditEvents } = await startBackend();
      const first = await upload(
        server,
        { source: 'semgrep' },
        sarifReport({ results: [sarifResult('sql-injection', 'src/db.ts')] }),
      );
      expect(first.status).toBe(201);

      const failed = await upload(server, { source: 'semgrep' }, failedReport);

      expect(failed.status).toBe(422);
      expectToMatchSpec('POST', '/scans', failed);
      expect(failed.body.error).toMatchObject({
        name: 'FailedScanError',
        scanId: expect.any(String),
      });
      expect(failed.body.error.reason).toBe(reason);
      expect(failed.body.error.tool).toBe('Semgrep OSS');
      expect(failed.body.error.message).toMatch(message);
      expect(failed.body.response).toEqual({ statusCode: 422 });

      const history = await scans(server);
      expectToMatchSpec('GET', '/scans', history);
      expect(history.body.items).toHaveLength(2);
      expect(history.body.items[0]).toMatchObject({
        id: failed.body.error.scanId,
        source: 'semgrep',
        status: 'failed',
        error: reason ?? failed.body.error.message,
        findings: { total: 0, new: 0, fixed: 0 },
      });
      expect(history.body.items[1].status).toBe('succeeded');

      const stillOpen = await findings(server, { status: 'open' });
      expect(stillOpen.body.items.map((f: any) => f.ruleId)).toEqual([
        'sql-injection',
      ]);

      // A gate's "new findings" still compare with the last scan that ran.
      const gate = await request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef })
        .send({
          policy: { rules: [{ type: 'no-new-findings', severity: 'low' }] },
        });
      expect(gate.body.passed).toBe(false);

      expect(auditEvents[1].fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'FailedScanError' }),
        meta: { scanId: failed.body.error.scanId },
      });

      // The next scan that runs replaces the one before the failure.
      const next = await upload(
        server,
        { source: 'semgrep' },
        sarifReport({ results: [] }),
      );
      expect(next.status).toBe(201);
      expect(next.body.findings).toMatchObject({ fixed: 1, total: 0 });
    },
  );
});

describe('report values that do not fit the store', () => {
  it.each([
    [
      'a line number above 32 bits',
      {
        ...sarifResult('rule-a', 'app.js'),
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'app.js' },
              region: { startLine: 2147483648 },
            },
          },
        ],
      },
      /line 2147483648/,
    ],
    [
      'a rule id of 300 characters',
      sarifResult('r'.repeat(300), 'app.js'),
      /rule_id of 300 characters; at most 255/,
    ],
  ])('refuse %s with a 400 and store nothing', async (_, result, message) => {
    const { server } = await startBackend();
    const first = await upload(
      server,
      { source: 'semgrep' },
      sarifReport({ results: [sarifResult('rule-b', 'b.js')] }),
    );
    expect(first.status).toBe(201);

    const refused = await upload(
      server,
      { source: 'semgrep' },
      sarifReport({ results: [sarifResult('rule-c', 'c.js'), result] }),
    );

    expect(refused.status).toBe(400);
    expectToMatchSpec('POST', '/scans', refused);
    expect(refused.body.error.message).toMatch(message);
    const stored = await findings(server);
    expect(
      stored.body.items.map((finding: { ruleId: string; status: string }) => [
        finding.ruleId,
        finding.status,
      ]),
    ).toEqual([['rule-b', 'open']]);
    expect((await scans(server)).body.items).toHaveLength(1);
  });
});
