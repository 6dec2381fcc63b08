import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { serviceComponent } from '../__testUtils__/catalog';
import { expectToMatchSpec } from '../__testUtils__/openApiSpec';
import { permissionsDenying } from '../__testUtils__/permissions';
import { reportFixture } from '../__testUtils__/reports';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const entities: Entity[] = [
  serviceComponent('payments', 'team-payments'),
  serviceComponent('checkout', 'user:default/alice'),
];

async function startBackend(
  options: {
    maxBodyBytes?: number;
    maxConcurrentUploads?: number;
    deny?: string[];
    denyServices?: string[];
    permissions?: ReturnType<typeof permissionsDenying>;
  } = {},
) {
  const features = [
    securityScorecardsPlugin,
    mockServices.database.factory(),
    catalogServiceMock.factory({ entities }),
    mockServices.rootConfig.factory({
      data: {
        securityScorecards: {
          ingest: {
            maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
            ...(options.maxConcurrentUploads
              ? { maxConcurrentUploads: options.maxConcurrentUploads }
              : {}),
          },
        },
      },
    }),
  ];
  if (options.deny) {
    features.push(permissionsDenying(options.deny));
  }
  if (options.denyServices) {
    features.push(permissionsDenyingServices(options.denyServices));
  }
  if (options.permissions) {
    features.push(options.permissions);
  }
  const { server } = await startTestBackend({ features });
  return server;
}

function upload(
  server: Awaited<ReturnType<typeof startBackend>>,
  query: Record<string, string>,
  body: Buffer,
) {
  return request(server)
    .post('/api/security-scorecards/scans')
    .query(query)
    .set('Content-Type', 'application/octet-stream')
    .send(body);
}

/**
 * Denies the permissions named to service principals (a CI token) and allows
 * everything else, so that users can see what services may not.
 */
function permissionsDenyingServices(names: string[]) {
  return mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(item => ({
        result:
          (credentials.principal as { type?: string }).type === 'service' &&
          names.includes(item.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
  }).factory;
}

/**
 * An upload whose body arrives only when `finish` is called: until then, the
 * server is reading it and holds an upload slot.
 */
function slowUpload(
  server: Awaited<ReturnType<typeof startBackend>>,
  body: Buffer,
) {
  const { port } = server.address() as AddressInfo;
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/security-scorecards/scans?entityRef=component:default/payments',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
    },
  });
  const response = new Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    body: any;
  }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: JSON.parse(text),
        }),
      );
    });
  });
  req.write(body.subarray(0, 10));
  return {
    response,
    finish: () => req.end(body.subarray(10)),
    abort: () => {
      response.catch(() => {});
      req.destroy();
    },
  };
}

/**
 * Allows everything, and tells when an upload has been authorized: the
 * router takes its slot right after, with no I/O in between, so once the
 * pending callbacks have run (`setImmediate`) the upload holds its slot.
 */
function permissionsCountingUploads() {
  let authorized = 0;
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const factory = mockServices.permissions.mock({
    authorize: async requests => {
      if (
        requests.some(
          item => item.permission.name === 'security-scorecards.scan.create',
        )
      ) {
        authorized += 1;
        for (const waiter of waiting.filter(w => w.count <= authorized)) {
          waiter.resolve();
        }
      }
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  }).factory;
  const uploadsHoldingSlots = async (count: number) => {
    if (authorized < count) {
      await new Promise<void>(resolve => waiting.push({ count, resolve }));
    }
    await new Promise(resolve => setImmediate(resolve));
  };
  return { factory, uploadsHoldingSlots };
}

describe('the security scorecards API', () => {
  it('ingests a report, and a re-upload of it changes nothing', async () => {
    const server = await startBackend();
    const report = reportFixture('trivy/npm.json.golden');

    const first = await upload(
      server,
      { entityRef: 'component:payments', commit: 'abc123', branch: 'main' },
      report,
    );
    expect(first.status).toBe(201);
    expectToMatchSpec('POST', '/scans', first);
    expect(first.body).toMatchObject({
      entityRef: 'component:default/payments',
      format: 'trivy',
      scanner: 'Trivy',
    });
    const total = first.body.findings.total;
    expect(total).toBeGreaterThan(0);
    expect(first.body.findings).toEqual({
      total,
      new: total,
      reopened: 0,
      fixed: 0,
      unchanged: 0,
      suppressed: 0,
    });

    const second = await upload(
      server,
      { entityRef: 'component:default/payments', format: 'trivy' },
      report,
    );
    expect(second.status).toBe(201);
    expect(second.body.findings).toEqual({
      total,
      new: 0,
      reopened: 0,
      fixed: 0,
      unchanged: total,
      suppressed: 0,
    });

    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/payments' });
    expect(scans.status).toBe(200);
    expectToMatchSpec('GET', '/scans', scans);
    expect(scans.body.items).toHaveLength(2);
    expect(scans.body.items[1]).toMatchObject({
      source: 'Trivy',
      commit: 'abc123',
      branch: 'main',
      createdBy: mockCredentials.user().principal.userEntityRef,
    });

    const findings = await request(server)
      .get('/api/security-scorecards/findings')
      .query({ entityRef: 'component:default/payments', limit: '500' });
    expect(findings.status).toBe(200);
    expectToMatchSpec('GET', '/findings', findings);
    expect(findings.body.totalCount).toBe(total);
  });

  it('reads every fixture format through the API', async () => {
    const server = await startBackend();
    for (const file of [
      'sarif/valid-sarif.sarif',
      'cyclonedx/bom.xml',
      'cyclonedx/vex.json',
      'spdx/04-SBOMwSecurity.json',
      'grype/keycloak-test.json',
      'osv-scanner/multiple-packages-with-vulns.json',
      'npm-audit/many_vulns.json',
      'gitleaks/gitleaks8_many.json',
      'github-dependabot/created.payload.json',
      'github-code-scanning/created.payload.json',
    ]) {
      const response = await upload(
        server,
        { entityRef: 'component:default/payments' },
        reportFixture(file),
      );
      expect({ file, status: response.status }).toEqual({ file, status: 201 });
      expectToMatchSpec('POST', '/scans', response);
    }
    const findings = await request(server)
      .get('/api/security-scorecards/findings')
      .query({ entityRef: 'component:default/payments', limit: '500' });
    expectToMatchSpec('GET', '/findings', findings);
    // gitleaks' secrets are stored redacted, never in clear.
    expect(JSON.stringify(findings.body)).not.toContain('AKIALALEMEL33243OLIB');
  });

  it('accepts gzip-compressed reports', async () => {
    const server = await startBackend();

    const response = await upload(
      server,
      { entityRef: 'component:default/payments' },
      gzipSync(reportFixture('sarif/valid-sarif.sarif')),
    ).set('Content-Encoding', 'gzip');

    expect(response.status).toBe(201);
    expect(response.body.format).toBe('sarif');
  });

  it.each([
    ['application/json', 'sarif/valid-sarif.sarif', 'sarif'],
    ['application/xml', 'cyclonedx/bom.xml', 'cyclonedx'],
    ['text/plain', 'npm-audit/many_vulns.json', 'npm-audit'],
  ])('accepts a report sent as %s', async (contentType, file, format) => {
    const server = await startBackend();

    const response = await request(server)
      .post('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/payments' })
      .set('Content-Type', contentType)
      // As text: supertest would serialize a Buffer sent as JSON.
      .send(reportFixture(file).toString('utf8'));

    expect(response.status).toBe(201);
    expect(response.body.format).toBe(format);
  });

  it('filters, sorts and pages findings', async () => {
    const server = await startBackend();
    await upload(
      server,
      { entityRef: 'component:default/payments' },
      reportFixture('grype/many_vulns_with_epss_values.json'),
    );

    const critical = await request(server)
      .get('/api/security-scorecards/findings')
      .query({
        entityRef: 'component:default/payments',
        severity: 'critical,high',
        orderBy: 'severity',
        order: 'desc',
        limit: '3',
        offset: '0',
      });

    expect(critical.status).toBe(200);
    expectToMatchSpec('GET', '/findings', critical);
    expect(critical.body.items.length).toBeLessThanOrEqual(3);
    for (const finding of critical.body.items) {
      expect(['critical', 'high']).toContain(finding.severity);
    }
    const all = await request(server)
      .get('/api/security-scorecards/findings')
      .query({
        entityRef: 'component:default/payments',
        orderBy: 'severity',
        order: 'desc',
        limit: '500',
      });
    const severities = all.body.items.map(
      (finding: { severity: string }) => finding.severity,
    );
    const ranks = severities.map((severity: string) =>
      ['critical', 'high', 'medium', 'low', 'info'].indexOf(severity),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('lists dependencies vulnerable first and finds who uses a package, with owners', async () => {
    const server = await startBackend();
    await upload(
      server,
      { entityRef: 'component:default/payments' },
      reportFixture('cyclonedx/npm-cyclonedx.json.golden'),
    );
    await upload(
      server,
      { entityRef: 'component:default/checkout' },
      reportFixture('cyclonedx/npm-cyclonedx.json.golden'),
    );

    const dependencies = await request(server)
      .get('/api/security-scorecards/dependencies')
      .query({ entityRef: 'component:default/payments' });
    expect(dependencies.status).toBe(200);
    expectToMatchSpec('GET', '/dependencies', dependencies);
    expect(dependencies.body.totalCount).toBe(12);
    expect(dependencies.body.items[0]).toMatchObject({
      name: 'jquery',
      vulnerable: true,
    });
    expect(
      dependencies.body.items.filter(
        (item: { vulnerable: boolean }) => item.vulnerable,
      ),
    ).toHaveLength(1);

    const purl = dependencies.body.items[0].purl;
    const usage = await request(server)
      .get('/api/security-scorecards/dependencies/usage')
      .query({ purl: purl.replace(/@[^@/]*$/, '') });
    expect(usage.status).toBe(200);
    expectToMatchSpec('GET', '/dependencies/usage', usage);
    expect(usage.body.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/checkout',
        owner: 'user:default/alice',
        name: 'jquery',
        vulnerable: true,
      }),
      expect.objectContaining({
        entityRef: 'component:default/payments',
        owner: 'group:default/team-payments',
        name: 'jquery',
        vulnerable: true,
      }),
    ]);
  });

  it.each([
    [
      'malformed JSON',
      Buffer.from('{"version": "2.1.0", "runs": ['),
      { format: 'sarif' },
      /Invalid sarif report: malformed JSON/,
    ],
    [
      'the wrong shape',
      Buffer.from('{"version": "2.1.0", "runs": {}}'),
      { format: 'sarif' },
      /Invalid sarif report at runs/,
    ],
    [
      'an unsupported SARIF version',
      Buffer.from('{"version": "1.0.0", "runs": []}'),
      { format: 'sarif' },
      /1\.0\.0/,
    ],
    [
      'an unsupported CycloneDX version',
      Buffer.from('{"bomFormat": "CycloneDX", "specVersion": "1.1"}'),
      { format: 'cyclonedx' },
      /1\.1/,
    ],
    [
      'an unsupported SPDX version',
      Buffer.from('{"spdxVersion": "SPDX-2.1", "packages": []}'),
      { format: 'spdx' },
      /SPDX-2\.1/,
    ],
    [
      'malformed XML',
      Buffer.from(
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component></components></bom>',
      ),
      { format: 'auto' },
      /Invalid cyclonedx report at line 1, column \d+: malformed XML/,
    ],
    [
      'deep nesting',
      Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`),
      { format: 'auto' },
      /nested deeper than 64 levels/,
    ],
    [
      'an XML external entity',
      Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&xxe;</name></component></components></bom>',
      ),
      { format: 'cyclonedx' },
      /DOCTYPE/,
    ],
    [
      'an unknown format name',
      Buffer.from('{}'),
      { format: 'nessus' },
      /Query parameter format must be auto or one of sarif/,
    ],
    ['an empty body', Buffer.alloc(0), { format: 'auto' }, /body is empty/],
  ])(
    'answers 400 for %s and stores nothing',
    async (_name, body, query, message) => {
      const server = await startBackend();

      const response = await upload(
        server,
        { entityRef: 'component:default/payments', ...query },
        body,
      );

      expect(response.status).toBe(400);
      expectToMatchSpec('POST', '/scans', response);
      expect(response.body.error.message).toMatch(message);
      const scans = await request(server)
        .get('/api/security-scorecards/scans')
        .query({ entityRef: 'component:default/payments' });
      expect(scans.body.items).toEqual([]);
    },
  );

  it('answers 413 for a body over the limit, and for a gzip bomb', async () => {
    const server = await startBackend({ maxBodyBytes: 64 * 1024 });

    const tooLarge = await upload(
      server,
      { entityRef: 'component:default/payments' },
      reportFixture('sarif/issue_10191.json'),
    );
    expect(tooLarge.status).toBe(413);
    expectToMatchSpec('POST', '/scans', tooLarge);
    expect(tooLarge.body.error.message).toMatch(/more than the limit of 65536/);

    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const bombed = await upload(
      server,
      { entityRef: 'component:default/payments' },
      bomb,
    ).set('Content-Encoding', 'gzip');
    expect(bombed.status).toBe(413);
    expect(bombed.body.error.message).toMatch(
      /decompresses to more than the limit of 65536 bytes/,
    );
    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/payments' });
    expect(scans.body.items).toEqual([]);
  });

  it('answers 400 naming a bad result deep in a large report, and stores nothing of it', async () => {
    const server = await startBackend();
    function sarif(resultCount: number, badResult?: string): Buffer {
      const results = Array.from({ length: resultCount }, (_, index) =>
        index === 2_500 && badResult !== undefined
          ? badResult
          : JSON.stringify({
              ruleId: `rule-${index % 7}`,
              message: { text: `Problem ${index}` },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: `src/file-${index}.ts` },
                    region: { startLine: 1 },
                  },
                },
              ],
            }),
      );
      return Buffer.from(
        `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep"}},"results":[${results.join(
          ',',
        )}]}]}`,
      );
    }
    const kept = await upload(
      server,
      { entityRef: 'component:default/payments' },
      sarif(10),
    );
    expect(kept.status).toBe(201);

    // Results are read as they are stored: the bad one is found after
    // thousands were written, and the transaction is rolled back.
    const wrongShape = await upload(
      server,
      { entityRef: 'component:default/payments' },
      sarif(3_000, '{"ruleId":5,"message":{"text":"x"}}'),
    );
    expect(wrongShape.status).toBe(400);
    expectToMatchSpec('POST', '/scans', wrongShape);
    expect(wrongShape.body.error.message).toBe(
      'Invalid sarif report at runs[0].results[2500].ruleId: expected a string',
    );
    const malformed = await upload(
      server,
      { entityRef: 'component:default/payments', format: 'sarif' },
      sarif(3_000, '{"ruleId":}'),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^Invalid sarif report: malformed JSON at runs\[0\]\.results\[2500\] \(byte \d+\): /,
    );

    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/payments' });
    expect(scans.body.items).toHaveLength(1);
    const findings = await request(server)
      .get('/api/security-scorecards/findings')
      .query({ entityRef: 'component:default/payments' });
    expect(findings.body.totalCount).toBe(10);
  });

  it('answers 404 for an entity that is not in the catalog', async () => {
    const server = await startBackend();

    const response = await upload(
      server,
      { entityRef: 'component:default/unknown' },
      reportFixture('sarif/valid-sarif.sarif'),
    );

    expect(response.status).toBe(404);
    expectToMatchSpec('POST', '/scans', response);
    expect(response.body.error.message).toMatch(
      /No entity component:default\/unknown in the catalog/,
    );
  });

  it('lets services upload, e.g. CI with an external access token', async () => {
    const server = await startBackend();

    const response = await upload(
      server,
      { entityRef: 'component:default/payments' },
      reportFixture('sarif/valid-sarif.sarif'),
    ).set('Authorization', mockCredentials.service.header());

    expect(response.status).toBe(201);
    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/payments' });
    expect(scans.body.items[0].createdBy).toBe(
      mockCredentials.service().principal.subject,
    );
  });

  it.each([
    ['post', '/scans?entityRef=component:default/payments'],
    ['get', '/scans?entityRef=component:default/payments'],
    ['get', '/findings?entityRef=component:default/payments'],
    ['get', '/dependencies?entityRef=component:default/payments'],
    ['get', '/dependencies/usage?purl=pkg:npm/lodash'],
  ] as const)(
    'answers 401 to %s %s without credentials',
    async (method, route) => {
      const server = await startBackend();

      const response = await request(server)
        [method](`/api/security-scorecards${route}`)
        .set('Authorization', mockCredentials.none.header());

      expect(response.status).toBe(401);
    },
  );

  it('answers 403 where the permission policy denies', async () => {
    const server = await startBackend({
      deny: [
        'security-scorecards.scan.create',
        'security-scorecards.findings.read',
      ],
    });

    const uploaded = await upload(
      server,
      { entityRef: 'component:default/payments' },
      reportFixture('sarif/valid-sarif.sarif'),
    );
    const findings = await request(server)
      .get('/api/security-scorecards/findings')
      .query({ entityRef: 'component:default/payments' });

    expect(uploaded.status).toBe(403);
    expect(findings.status).toBe(403);
    expectToMatchSpec('GET', '/findings', findings);
  });

  it('hides entities the caller may not read from dependency usage', async () => {
    const server = await startBackend({
      deny: ['security-scorecards.findings.read'],
    });
    await upload(
      server,
      { entityRef: 'component:default/payments' },
      reportFixture('cyclonedx/npm-cyclonedx.json.golden'),
    );

    const usage = await request(server)
      .get('/api/security-scorecards/dependencies/usage')
      .query({ purl: 'pkg:npm/jquery' });

    expect(usage.status).toBe(200);
    expect(usage.body.items).toEqual([]);
  });

  it.each([
    [
      '/findings',
      { entityRef: 'component:default/payments', severity: 'urgent' },
      /severity takes critical, high, medium, low, info; got 'urgent'/,
    ],
    [
      '/findings',
      { entityRef: 'component:default/payments', orderBy: 'cvss' },
      /orderBy must be one of severity/,
    ],
    [
      '/findings',
      { entityRef: 'component:default/payments', limit: '0' },
      /limit must be a whole number from 1 to 500/,
    ],
    [
      '/findings',
      { entityRef: 'component:default/payments', offset: '-1' },
      /offset must be a whole number/,
    ],
    ['/findings', {}, /entityRef is required/],
    [
      '/scans',
      { entityRef: 'not a ref:' },
      /entityRef is not an entity reference/,
    ],
    [
      '/dependencies',
      { entityRef: 'component:default/payments', vulnerable: 'maybe' },
      /vulnerable must be one of true, false/,
    ],
    [
      '/dependencies/usage',
      { purl: 'lodash' },
      /purl is required and must be a package URL/,
    ],
  ])('answers 400 to GET %s with %j', async (route, query, message) => {
    const server = await startBackend();

    const response = await request(server)
      .get(`/api/security-scorecards${route}`)
      .query(query);

    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
  });

  it('serves an unauthenticated health check that says only ok', async () => {
    const server = await startBackend();

    const response = await request(server)
      .get('/api/security-scorecards/health')
      .set('Authorization', mockCredentials.none.header());

    expect(response.status).toBe(200);
    expectToMatchSpec('GET', '/health', response);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('lists the finding sources to signed-in callers only', async () => {
    const server = await startBackend();

    const sources = await request(server).get(
      '/api/security-scorecards/sources',
    );
    const anonymous = await request(server)
      .get('/api/security-scorecards/sources')
      .set('Authorization', mockCredentials.none.header());

    expect(sources.status).toBe(200);
    expectToMatchSpec('GET', '/sources', sources);
    expect(sources.body).toEqual({ items: [{ id: 'url' }] });
    expect(anonymous.status).toBe(401);
  });

  describe('concurrent uploads', () => {
    it('answers 503 with Retry-After beyond the limit, before reading the body, and takes uploads again once slots free up', async () => {
      const permissions = permissionsCountingUploads();
      const server = await startBackend({
        maxConcurrentUploads: 2,
        permissions: permissions.factory,
      });
      const report = reportFixture('sarif/valid-sarif.sarif');
      const first = slowUpload(server, report);
      const second = slowUpload(server, report);
      await permissions.uploadsHoldingSlots(2);

      // Answered though its body has not arrived: it is not read.
      const third = slowUpload(server, report);
      const refused = await third.response;
      third.abort();
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(refused.body.error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining(
          'securityScorecards.ingest.maxConcurrentUploads',
        ),
      });
      expect(refused.body.response).toEqual({ statusCode: 503 });
      expectToMatchSpec('POST', '/scans', refused);

      first.finish();
      second.finish();
      expect((await first.response).status).toBe(201);
      expect((await second.response).status).toBe(201);
      const accepted = await upload(
        server,
        { entityRef: 'component:default/payments' },
        report,
      );
      expect(accepted.status).toBe(201);
    });

    it('frees the slot of an upload whose client went away', async () => {
      const permissions = permissionsCountingUploads();
      const server = await startBackend({
        maxConcurrentUploads: 1,
        permissions: permissions.factory,
      });
      const report = reportFixture('sarif/valid-sarif.sarif');
      const abandoned = slowUpload(server, report);
      await permissions.uploadsHoldingSlots(1);
      const whileHeld = await upload(
        server,
        { entityRef: 'component:default/payments' },
        report,
      );
      expect(whileHeld.status).toBe(503);

      abandoned.abort();

      // The server learns of the closed connection when it reads it: until
      // then uploads are refused; none may be refused for good.
      let status = 503;
      for (let attempt = 0; attempt < 200 && status === 503; attempt++) {
        await new Promise(resolve => setTimeout(resolve, 10));
        status = (
          await upload(
            server,
            { entityRef: 'component:default/payments' },
            report,
          )
        ).status;
      }
      expect(status).toBe(201);
    });
  });

  describe('scorecards', () => {
    it('grades an entity after its first scan and serves its scorecard, history and rollups', async () => {
      const server = await startBackend();
      const uploaded = await upload(
        server,
        { entityRef: 'component:default/payments' },
        reportFixture('trivy/npm.json.golden'),
      );
      expect(uploaded.status).toBe(201);

      const scorecard = await request(server)
        .get('/api/security-scorecards/scorecards/entity')
        .query({ entityRef: 'component:default/payments' });
      expect(scorecard.status).toBe(200);
      expectToMatchSpec('GET', '/scorecards/entity', scorecard);
      expect(scorecard.body).toMatchObject({
        entityRef: 'component:default/payments',
        ownerRef: 'group:default/team-payments',
      });
      expect(
        scorecard.body.checks.find(
          (check: { id: string }) => check.id === 'sca-scan-fresh',
        ),
      ).toMatchObject({
        status: 'pass',
        evidence: 'Dependency (SCA): last scan today by Trivy',
      });
      expect(scorecard.body.checks).toHaveLength(19);

      const history = await request(server)
        .get('/api/security-scorecards/scorecards/history')
        .query({ entityRef: 'component:default/payments', days: 30 });
      expect(history.status).toBe(200);
      expectToMatchSpec('GET', '/scorecards/history', history);
      expect(history.body.items).toHaveLength(1);
      expect(history.body.items[0].score).toBe(scorecard.body.score);

      const organization = await request(server).get(
        '/api/security-scorecards/scorecards/group',
      );
      expect(organization.status).toBe(200);
      expectToMatchSpec('GET', '/scorecards/group', organization);
      expect(organization.body.entityCount).toBe(1);

      const csv = await request(server).get(
        '/api/security-scorecards/scorecards/group/export',
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text.split('\r\n')[1]).toMatch(
        /^component:default\/payments,payments,group:default\/team-payments,/,
      );

      const rubric = await request(server).get(
        '/api/security-scorecards/rubric',
      );
      expect(rubric.status).toBe(200);
      expectToMatchSpec('GET', '/rubric', rubric);
      expect(
        rubric.body.levels.map((level: { name: string }) => level.name),
      ).toEqual(['Baseline', 'Managed', 'Defined', 'Optimizing']);
    });

    it('answers 400 for a rollup of an entity that is not a group, 404 for an unknown group', async () => {
      const server = await startBackend();
      const notGroup = await request(server)
        .get('/api/security-scorecards/scorecards/group')
        .query({ entityRef: 'component:default/payments' });
      expect(notGroup.status).toBe(400);
      expect(notGroup.body.error.message).toMatch(/must be a group ref/);
      const unknown = await request(server)
        .get('/api/security-scorecards/scorecards/group')
        .query({ entityRef: 'group:default/nobody' });
      expect(unknown.status).toBe(404);
      const badTarget = await request(server)
        .get('/api/security-scorecards/scorecards/group')
        .query({ targetLevel: '7' });
      expect(badTarget.status).toBe(400);
      expect(badTarget.body.error.message).toMatch(
        /targetLevel must be one of/,
      );
      const notCached = await request(server)
        .get('/api/security-scorecards/scorecards/entity')
        .query({ entityRef: 'component:default/checkout' });
      expect(notCached.status).toBe(404);
    });

    it('needs the scorecard read permission for the rubric and the rollups', async () => {
      const server = await startBackend({
        deny: ['security-scorecards.scorecard.read'],
      });
      const rubric = await request(server).get(
        '/api/security-scorecards/rubric',
      );
      expect(rubric.status).toBe(403);
      const response = await request(server).get(
        '/api/security-scorecards/scorecards/group',
      );
      expect(response.status).toBe(403);
      expect(JSON.stringify(response.body.error)).not.toContain('component:');
    });

    it('filters findings on SLA state', async () => {
      const server = await startBackend();
      await upload(
        server,
        { entityRef: 'component:default/payments' },
        reportFixture('trivy/npm.json.golden'),
      );
      const all = await request(server)
        .get('/api/security-scorecards/findings')
        .query({ entityRef: 'component:default/payments', limit: 500 });
      const breached = await request(server)
        .get('/api/security-scorecards/findings')
        .query({
          entityRef: 'component:default/payments',
          slaState: 'breached',
        });
      expect(breached.status).toBe(200);
      expectToMatchSpec('GET', '/findings', breached);
      // Every finding was first seen just now: none is breached yet.
      expect(breached.body.totalCount).toBe(0);
      const notBreached = await request(server)
        .get('/api/security-scorecards/findings')
        .query({
          entityRef: 'component:default/payments',
          slaState: 'within,due-soon',
        });
      expect(notBreached.body.totalCount).toBe(
        all.body.items.filter(
          (item: { status: string; dueAt?: string }) =>
            item.status === 'open' && item.dueAt,
        ).length,
      );
      const wrong = await request(server)
        .get('/api/security-scorecards/findings')
        .query({ entityRef: 'component:default/payments', slaState: 'late' });
      expect(wrong.status).toBe(400);
    });
  });

  describe('CI gates', () => {
    it('evaluates the default policy, records the run and counts it for the rubric', async () => {
      const server = await startBackend();
      await upload(
        server,
        { entityRef: 'component:default/payments' },
        reportFixture('trivy/npm.json.golden'),
      );
      const findings = await request(server)
        .get('/api/security-scorecards/findings')
        .query({
          entityRef: 'component:default/payments',
          severity: 'critical',
          status: 'open',
        });

      const gate = await request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' })
        .send({ commit: 'abc123', branch: 'main' });
      expect(gate.status).toBe(201);
      expectToMatchSpec('POST', '/gates', gate);
      const critical = gate.body.rules[0];
      expect(critical.rule).toEqual({
        type: 'no-open-findings',
        severity: 'critical',
      });
      expect(critical.passed).toBe(findings.body.totalCount === 0);
      expect(critical.violations).toHaveLength(
        Math.min(findings.body.totalCount, 20),
      );
      expect(gate.body.passed).toBe(
        gate.body.rules.every((rule: { passed: boolean }) => rule.passed),
      );
      expect(gate.body.commit).toBe('abc123');

      const runs = await request(server)
        .get('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' });
      expect(runs.status).toBe(200);
      expectToMatchSpec('GET', '/gates', runs);
      expect(runs.body.items.map((run: { id: string }) => run.id)).toEqual([
        gate.body.id,
      ]);

      const scorecard = await request(server)
        .get('/api/security-scorecards/scorecards/entity')
        .query({ entityRef: 'component:default/payments' });
      expect(
        scorecard.body.checks.find(
          (check: { id: string }) => check.id === 'ci-gate-enforced',
        ),
      ).toMatchObject({ status: 'pass' });
    });

    it('lists the findings that broke a rule only to callers that may read findings, in the answer and in the history', async () => {
      const server = await startBackend({
        denyServices: ['security-scorecards.findings.read'],
      });
      for (const file of [
        'gitleaks/gitleaks8_many.json',
        'trivy/npm.json.golden',
      ]) {
        const uploaded = await upload(
          server,
          { entityRef: 'component:default/payments' },
          reportFixture(file),
        );
        expect(uploaded.status).toBe(201);
      }
      const findings = await request(server)
        .get('/api/security-scorecards/findings')
        .query({
          entityRef: 'component:default/payments',
          status: 'open',
          limit: '500',
        });
      expect(findings.status).toBe(200);
      // What a finding says about the code: none of it may reach a CI token.
      const findingDetails = new Set<string>();
      for (const finding of findings.body.items) {
        findingDetails.add(finding.id);
        findingDetails.add(finding.title);
        findingDetails.add(finding.ruleId);
        if (finding.location) findingDetails.add(finding.location.path);
        if (finding.package) findingDetails.add(finding.package.name);
      }
      expect(findingDetails).toContain('/conf/aws.tf');

      // A CI token: scan.create, not findings.read.
      const ci = await request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' })
        .set('Authorization', mockCredentials.service.header())
        .send({});
      expect(ci.status).toBe(201);
      expectToMatchSpec('POST', '/gates', ci);
      expect(ci.body.passed).toBe(false);
      const secrets = ci.body.rules[1];
      expect(secrets).toEqual({
        rule: { type: 'no-open-findings', category: 'secret' },
        description: expect.any(String),
        passed: false,
        details: expect.stringMatching(/^\d+ open secret findings$/),
        violationCount: expect.any(Number),
      });
      expect(secrets.violationCount).toBeGreaterThan(1);
      const ciAnswer = JSON.stringify(ci.body);
      expect(
        [...findingDetails].filter(detail => ciAnswer.includes(detail)),
      ).toEqual([]);

      // A user who may read the findings sees them.
      const user = await request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' })
        .send({});
      expect(user.status).toBe(201);
      expectToMatchSpec('POST', '/gates', user);
      expect(user.body.rules[1].violationCount).toBe(secrets.violationCount);
      expect(user.body.rules[1].violations).toContainEqual(
        expect.objectContaining({
          category: 'secret',
          location: '/conf/aws.tf:2',
        }),
      );

      // The history needs findings.read, and then shows the details of
      // both runs, the CI's included.
      const ciHistory = await request(server)
        .get('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' })
        .set('Authorization', mockCredentials.service.header());
      expect(ciHistory.status).toBe(403);
      const history = await request(server)
        .get('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' });
      expect(history.status).toBe(200);
      expectToMatchSpec('GET', '/gates', history);
      expect(history.body.items.map((run: { id: string }) => run.id)).toEqual([
        user.body.id,
        ci.body.id,
      ]);
      expect(history.body.items[1].rules[1]).toEqual(user.body.rules[1]);
    });

    it('passes a policy the entity meets and rejects an invalid policy with its place', async () => {
      const server = await startBackend();
      const passing = await request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' })
        .send({
          policy: { rules: [{ type: 'no-past-sla', severity: 'high' }] },
        });
      expect(passing.status).toBe(201);
      expect(passing.body.passed).toBe(true);

      const invalid = await request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/payments' })
        .send({
          policy: {
            rules: [
              { type: 'no-past-sla', severity: 'high' },
              { type: 'no-open-findings', severity: 'urgent' },
            ],
          },
        });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toMatch(/rules\[1\]\.severity/);

      const unknown = await request(server)
        .post('/api/security-scorecards/gates')
        .query({ entityRef: 'component:default/unknown' })
        .send({});
      expect(unknown.status).toBe(404);
    });
  });
});
