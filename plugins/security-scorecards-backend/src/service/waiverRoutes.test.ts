import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { serviceComponent } from '../__testUtils__/catalog';
import { createTestDatabases } from '../__testUtils__/databases';
import { expectToMatchSpec } from '../__testUtils__/openApiSpec';
import { reportFixture } from '../__testUtils__/reports';
import { timestampValue } from '../database/sql';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const payments = 'component:default/payments';
const mockUser = mockCredentials.user().principal.userEntityRef;
const bob = 'user:default/bob';
const DAY_MS = 24 * 60 * 60 * 1000;

const entities: Entity[] = [
  serviceComponent('payments', 'team-payments'),
  serviceComponent('checkout', 'team-payments'),
];

const report = reportFixture('grype/many_vulns_with_epss_values.json');

const databases = createTestDatabases();

/**
 * A backend with the catalog above and one scan of payments. `deny` names
 * permissions denied to everyone (read at each check, so a test may change
 * it); `approvers` are the only users allowed
 * security-scorecards.waiver.approve (everyone when absent); `knex` the
 * database, an in-memory one when absent.
 */
async function startBackend(
  options: {
    requireApproval?: boolean;
    deny?: string[];
    approvers?: string[];
    knex?: Knex;
  } = {},
) {
  const { deny = [], approvers } = options;
  const { server } = await startTestBackend({
    features: [
      securityScorecardsPlugin,
      mockServices.database.factory(
        options.knex ? { knex: options.knex } : undefined,
      ),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          securityScorecards: {
            waivers: { requireApproval: options.requireApproval ?? false },
          },
        },
      }),
      mockServices.permissions.mock({
        authorize: async (requests, requestOptions) => {
          const principal = requestOptions.credentials.principal as {
            type: string;
            userEntityRef?: string;
          };
          const user =
            principal.type === 'user' ? principal.userEntityRef : undefined;
          return requests.map(item => {
            const denied =
              deny.includes(item.permission.name) ||
              (item.permission.name === 'security-scorecards.waiver.approve' &&
                approvers !== undefined &&
                (!user || !approvers.includes(user)));
            return {
              result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
            };
          });
        },
      }).factory,
    ],
  });
  const uploaded = await request(server)
    .post('/api/security-scorecards/scans')
    .query({ entityRef: payments })
    .set('Content-Type', 'application/octet-stream')
    .send(report);
  expect(uploaded.status).toBe(201);
  return server;
}

type Server = Awaited<ReturnType<typeof startBackend>>;

function inDays(days: number) {
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

async function openFindings(server: Server) {
  const response = await request(server)
    .get('/api/security-scorecards/findings')
    .query({ entityRef: payments, status: 'open', limit: '500' });
  expect(response.status).toBe(200);
  return response.body as {
    totalCount: number;
    items: Array<{ id: string; ruleId: string }>;
  };
}

function createWaiver(server: Server, body: object) {
  return request(server).post('/api/security-scorecards/waivers').send(body);
}

describe('the waiver API', () => {
  it('creates a waiver that waives the finding, lists it, exports it as VEX and revokes it', async () => {
    const server = await startBackend();
    const before = await openFindings(server);
    const finding = before.items[0];

    const created = await createWaiver(server, {
      entityRef: 'component:payments',
      findingId: finding.id,
      justification: 'Not reachable from the internet.',
      expiresAt: inDays(30),
    });
    expect(created.status).toBe(201);
    expectToMatchSpec('POST', '/waivers', created);
    expect(created.body).toMatchObject({
      entityRef: payments,
      scope: { findingId: finding.id },
      status: 'active',
      requestedBy: mockUser,
      findingCount: 1,
    });
    expect((await openFindings(server)).totalCount).toBe(before.totalCount - 1);

    const list = await request(server)
      .get('/api/security-scorecards/waivers')
      .query({ entityRef: payments, status: 'active,pending' });
    expect(list.status).toBe(200);
    expectToMatchSpec('GET', '/waivers', list);
    expect(list.body.items.map((w: { id: string }) => w.id)).toEqual([
      created.body.id,
    ]);

    const one = await request(server).get(
      `/api/security-scorecards/waivers/${created.body.id}`,
    );
    expect(one.status).toBe(200);
    expectToMatchSpec('GET', '/waivers/{id}', one);

    const vex = await request(server)
      .get('/api/security-scorecards/waivers/vex')
      .query({ entityRef: payments });
    expect(vex.status).toBe(200);
    expect(vex.headers['content-type']).toMatch(
      /^application\/vnd\.cyclonedx\+json;.*version=1\.6/,
    );
    expectToMatchSpec('GET', '/waivers/vex', vex);
    expect(vex.body.vulnerabilities).toEqual([
      expect.objectContaining({
        id: finding.ruleId,
        analysis: expect.objectContaining({
          state: 'exploitable',
          response: ['will_not_fix'],
        }),
      }),
    ]);

    const revoked = await request(server).delete(
      `/api/security-scorecards/waivers/${created.body.id}`,
    );
    expect(revoked.status).toBe(200);
    expectToMatchSpec('DELETE', '/waivers/{id}', revoked);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedBy: mockUser,
      findingCount: 0,
    });
    expect((await openFindings(server)).totalCount).toBe(before.totalCount);

    const history = await request(server).get(
      `/api/security-scorecards/waivers/${created.body.id}/history`,
    );
    expect(history.status).toBe(200);
    expectToMatchSpec('GET', '/waivers/{id}/history', history);
    expect(
      history.body.items.map((entry: { action: string }) => entry.action),
    ).toEqual(['requested', 'revoked']);
  });

  it('needs a second person with waiver.approve when approval is required', async () => {
    const server = await startBackend({
      requireApproval: true,
      approvers: [mockUser, bob],
    });
    const { items, totalCount } = await openFindings(server);
    const created = await createWaiver(server, {
      entityRef: payments,
      ruleId: items[0].ruleId,
      justification: 'Accepted until the next release.',
      expiresAt: inDays(14),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', findingCount: 0 });
    const approve = (authorization?: string) => {
      const call = request(server).post(
        `/api/security-scorecards/waivers/${created.body.id}/approve`,
      );
      return authorization ? call.set('Authorization', authorization) : call;
    };

    const byRequester = await approve();
    expect(byRequester.status).toBe(403);
    expectToMatchSpec('POST', '/waivers/{id}/approve', byRequester);
    expect(byRequester.body.error.message).toMatch(
      /The requester of waiver .* cannot approve it/,
    );

    const byCarol = await approve(
      mockCredentials.user.header('user:default/carol'),
    );
    expect(byCarol.status).toBe(403);
    expect(byCarol.body.error.message).toBe(
      'Not allowed: security-scorecards.waiver.approve',
    );

    const byService = await approve(mockCredentials.service.header());
    expect(byService.status).toBe(403);

    const byBob = await approve(mockCredentials.user.header(bob));
    expect(byBob.status).toBe(200);
    expectToMatchSpec('POST', '/waivers/{id}/approve', byBob);
    expect(byBob.body).toMatchObject({ status: 'active', approvedBy: bob });
    expect(byBob.body.findingCount).toBeGreaterThan(0);
    expect((await openFindings(server)).totalCount).toBe(
      totalCount - byBob.body.findingCount,
    );

    const again = await approve(mockCredentials.user.header(bob));
    expect(again.status).toBe(409);
    expectToMatchSpec('POST', '/waivers/{id}/approve', again);
  });

  it('rejects a pending waiver with a reason', async () => {
    const server = await startBackend({ requireApproval: true });
    const created = await createWaiver(server, {
      entityRef: payments,
      purl: 'pkg:npm/lodash',
      justification: 'Accepted.',
      expiresAt: inDays(14),
    });

    const badBody = await request(server)
      .post(`/api/security-scorecards/waivers/${created.body.id}/reject`)
      .set('Authorization', mockCredentials.user.header(bob))
      .send({ reason: 42 });
    expect(badBody.status).toBe(400);

    const rejected = await request(server)
      .post(`/api/security-scorecards/waivers/${created.body.id}/reject`)
      .set('Authorization', mockCredentials.user.header(bob))
      .send({ reason: 'Upgrade instead.' });
    expect(rejected.status).toBe(200);
    expectToMatchSpec('POST', '/waivers/{id}/reject', rejected);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejectedBy: bob,
    });

    const history = await request(server).get(
      `/api/security-scorecards/waivers/${created.body.id}/history`,
    );
    expect(history.body.items[1]).toMatchObject({
      action: 'rejected',
      actor: bob,
      detail: { reason: 'Upgrade instead.' },
    });
  });

  it.each([
    [
      'no justification',
      { ruleId: 'CVE-1', expiresAt: inDays(10) },
      /justification is required/,
    ],
    [
      'an expiry past 90 days',
      { ruleId: 'CVE-1', justification: 'x', expiresAt: inDays(91) },
      /expiresAt must be at most 90 days ahead/,
    ],
    [
      'no expiry',
      { ruleId: 'CVE-1', justification: 'x' },
      /expiresAt is required/,
    ],
    [
      'two scopes',
      {
        ruleId: 'CVE-1',
        purl: 'pkg:npm/lodash',
        justification: 'x',
        expiresAt: inDays(10),
      },
      /Give exactly one of findingId, ruleId or purl/,
    ],
  ])('answers 400 to a waiver with %s', async (_name, body, message) => {
    const server = await startBackend();

    const response = await createWaiver(server, {
      entityRef: payments,
      ...body,
    });

    expect(response.status).toBe(400);
    expectToMatchSpec('POST', '/waivers', response);
    expect(response.body.error.message).toMatch(message);
  });

  it('answers 400 to an unknown status filter', async () => {
    const server = await startBackend();
    const response = await request(server)
      .get('/api/security-scorecards/waivers')
      .query({ entityRef: payments, status: 'approved' });
    expect(response.status).toBe(400);
    expectToMatchSpec('GET', '/waivers', response);
    expect(response.body.error.message).toMatch(
      /status takes pending, active, expired, revoked, rejected/,
    );
  });

  it('answers 404 for an entity, a finding or a waiver that does not exist', async () => {
    const server = await startBackend();
    const body = {
      justification: 'Accepted.',
      expiresAt: inDays(10),
    };

    const unknownEntity = await createWaiver(server, {
      ...body,
      entityRef: 'component:default/unknown',
      ruleId: 'CVE-1',
    });
    expect(unknownEntity.status).toBe(404);
    expectToMatchSpec('POST', '/waivers', unknownEntity);

    const otherFinding = await createWaiver(server, {
      ...body,
      entityRef: 'component:default/checkout',
      findingId: (await openFindings(server)).items[0].id,
    });
    expect(otherFinding.status).toBe(404);
    expect(otherFinding.body.error.message).toMatch(
      /component:default\/checkout has no finding/,
    );

    const id = '6a0a4d2e-0a8e-4f0e-9d3c-0c1a0a9c5e11';
    for (const [method, route, template] of [
      ['get', `/waivers/${id}`, '/waivers/{id}'],
      ['get', `/waivers/${id}/history`, '/waivers/{id}/history'],
      ['post', `/waivers/${id}/approve`, '/waivers/{id}/approve'],
      ['delete', `/waivers/${id}`, '/waivers/{id}'],
    ] as const) {
      const response = await request(server)[method](
        `/api/security-scorecards${route}`,
      );
      expect({ route, status: response.status }).toEqual({
        route,
        status: 404,
      });
      expectToMatchSpec(method.toUpperCase(), template, response);
    }
  });

  it('answers 403 where the permission policy denies', async () => {
    const server = await startBackend({
      deny: ['security-scorecards.waiver.create'],
      approvers: [],
    });

    const created = await createWaiver(server, {
      entityRef: payments,
      ruleId: 'CVE-1',
      justification: 'Accepted.',
      expiresAt: inDays(10),
    });
    expect(created.status).toBe(403);
    expectToMatchSpec('POST', '/waivers', created);
    expect(created.body.error.message).toBe(
      'Not allowed: security-scorecards.waiver.create',
    );
  });

  it('lets only those who may approve revoke an active waiver', async () => {
    const server = await startBackend({ approvers: [bob] });
    const created = await createWaiver(server, {
      entityRef: payments,
      ruleId: (await openFindings(server)).items[0].ruleId,
      justification: 'Accepted.',
      expiresAt: inDays(10),
    });
    expect(created.body.status).toBe('active');

    const byRequester = await request(server).delete(
      `/api/security-scorecards/waivers/${created.body.id}`,
    );
    expect(byRequester.status).toBe(403);
    expectToMatchSpec('DELETE', '/waivers/{id}', byRequester);

    const byBob = await request(server)
      .delete(`/api/security-scorecards/waivers/${created.body.id}`)
      .set('Authorization', mockCredentials.user.header(bob));
    expect(byBob.status).toBe(200);
    expect(byBob.body.status).toBe('revoked');
  });

  it('hides waivers from those who may not read the entity findings', async () => {
    const server = await startBackend({
      deny: ['security-scorecards.findings.read'],
    });
    const created = await createWaiver(server, {
      entityRef: payments,
      ruleId: 'CVE-1',
      justification: 'Accepted.',
      expiresAt: inDays(10),
    });
    expect(created.status).toBe(201);

    for (const route of [
      `/waivers?entityRef=${payments}`,
      `/waivers/vex?entityRef=${payments}`,
      `/waivers/${created.body.id}`,
      `/waivers/${created.body.id}/history`,
    ]) {
      const response = await request(server).get(
        `/api/security-scorecards${route}`,
      );
      expect({ route, status: response.status }).toEqual({
        route,
        status: 403,
      });
    }
  });

  it.each([
    ['post', '/waivers'],
    ['get', `/waivers?entityRef=${payments}`],
    ['get', `/waivers/vex?entityRef=${payments}`],
    ['delete', '/waivers/6a0a4d2e-0a8e-4f0e-9d3c-0c1a0a9c5e11'],
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

  it('takes waiver requests, approvals and rejections from users only, not service tokens', async () => {
    const server = await startBackend({ requireApproval: true });
    const body = {
      entityRef: payments,
      purl: 'pkg:npm/lodash',
      justification: 'Accepted.',
      expiresAt: inDays(10),
    };

    const byService = await createWaiver(server, body).set(
      'Authorization',
      mockCredentials.service.header(),
    );
    expect(byService.status).toBe(403);
    expectToMatchSpec('POST', '/waivers', byService);
    expect(byService.body.error.message).toMatch(
      /^Only users can request a waiver, not service credentials/,
    );
    const listed = await request(server)
      .get('/api/security-scorecards/waivers')
      .query({ entityRef: payments });
    expect(listed.body.items).toEqual([]);

    const created = await createWaiver(server, body);
    expect(created.status).toBe(201);
    for (const verb of ['approve', 'reject'] as const) {
      const response = await request(server)
        .post(`/api/security-scorecards/waivers/${created.body.id}/${verb}`)
        .set('Authorization', mockCredentials.service.header());
      expect({ verb, status: response.status }).toEqual({ verb, status: 403 });
      expect(response.body.error.message).toMatch(
        new RegExp(`^Only users can ${verb} a waiver`),
      );
    }
    const after = await request(server).get(
      `/api/security-scorecards/waivers/${created.body.id}`,
    );
    expect(after.body.status).toBe('pending');
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it('checks permissions before expiring a waiver whose time is up, and names no entity in a 403', async () => {
      const knex = await databases.init(databaseId);
      const deny: string[] = [];
      const server = await startBackend({
        requireApproval: true,
        approvers: [bob],
        deny,
        knex,
      });
      const created = await createWaiver(server, {
        entityRef: payments,
        purl: 'pkg:npm/lodash',
        justification: 'Accepted.',
        expiresAt: inDays(10),
      });
      expect(created.status).toBe(201);
      const { id } = created.body;
      // Its time is up: the next allowed read or change expires it.
      await knex('waivers')
        .where({ id })
        .update({
          expires_at: timestampValue(knex, new Date(Date.now() - DAY_MS)),
        });
      const statusInDatabase = async () =>
        (await knex('waivers').where({ id }).first('status')).status;

      const byCarol = await request(server)
        .post(`/api/security-scorecards/waivers/${id}/approve`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/carol'),
        );
      expect(byCarol.status).toBe(403);
      expect(byCarol.body.error.message).toBe(
        'Not allowed: security-scorecards.waiver.approve',
      );

      deny.push('security-scorecards.findings.read');
      for (const [method, route] of [
        ['get', `/waivers/${id}`],
        ['get', `/waivers/${id}/history`],
        ['get', `/waivers?entityRef=${payments}`],
        ['get', `/waivers/vex?entityRef=${payments}`],
        ['post', `/waivers/${id}/approve`],
        ['post', `/waivers/${id}/reject`],
        ['delete', `/waivers/${id}`],
      ] as const) {
        const response = await request(server)
          [method](`/api/security-scorecards${route}`)
          .set('Authorization', mockCredentials.user.header(bob));
        expect({ route, method, status: response.status }).toEqual({
          route,
          method,
          status: 403,
        });
        expect(response.body.error.message).toBe(
          'Not allowed: security-scorecards.findings.read',
        );
      }
      expect(await statusInDatabase()).toBe('pending');

      deny.length = 0;
      const read = await request(server).get(
        `/api/security-scorecards/waivers/${id}`,
      );
      expect(read.status).toBe(200);
      expect(read.body.status).toBe('expired');
      expect(await statusInDatabase()).toBe('expired');
    });
  });
});
