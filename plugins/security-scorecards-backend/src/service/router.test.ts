import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ScanSummary,
  securityScorecardsFindingsReadPermission,
} from '@secdevops/plugin-security-scorecards-common';
import express from 'express';
import request from 'supertest';
import { ScanStore } from '../database/ScanStore';
import { createRouter } from './router';

const scan: ScanSummary = {
  id: '0b6f0c4e-5d2a-4f4e-8f0e-2a8c0d9b7e61',
  entityRef: 'component:default/payments',
  source: 'semgrep',
  format: 'sarif',
  scanner: 'Semgrep OSS',
  createdAt: '2026-11-27T10:00:00.000Z',
  createdBy: 'user:default/alice',
  openFindings: { critical: 1, high: 0, medium: 2, low: 0, info: 0 },
  dependencyCount: 0,
};

describe('createRouter', () => {
  let scanStore: jest.Mocked<ScanStore>;
  let permissions: ReturnType<typeof mockServices.permissions.mock>;
  let app: express.Express;

  beforeEach(async () => {
    scanStore = {
      recordScan: jest.fn(),
      listScans: jest.fn().mockResolvedValue([scan]),
      checkConnection: jest.fn().mockResolvedValue(undefined),
    };
    permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions,
      scanStore,
      findingSourceIds: ['github'],
    });
    app = express().use(router).use(mockErrorHandler());
  });

  it('reports health after checking the database', async () => {
    const response = await request(app).get('/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', findingSources: ['github'] });
    expect(scanStore.checkConnection).toHaveBeenCalled();
  });

  it('fails health when the database is unreachable', async () => {
    scanStore.checkConnection.mockRejectedValue(
      new Error('connection refused'),
    );

    const response = await request(app).get('/health');

    expect(response.status).toBe(500);
  });

  it('lists the scans of an entity, normalizing the reference', async () => {
    const response = await request(app)
      .get('/scans')
      .query({ entityRef: 'component:payments' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [scan] });
    expect(scanStore.listScans).toHaveBeenCalledWith({
      entityRef: 'component:default/payments',
      limit: 50,
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: securityScorecardsFindingsReadPermission,
          resourceRef: 'component:default/payments',
        },
      ],
      expect.anything(),
    );
  });

  it('rejects unauthenticated requests for scans', async () => {
    const response = await request(app)
      .get('/scans')
      .query({ entityRef: 'component:default/payments' })
      .set('Authorization', mockCredentials.none.header());

    expect(response.status).toBe(401);
    expect(scanStore.listScans).not.toHaveBeenCalled();
  });

  it('refuses scans the permission policy denies', async () => {
    permissions.authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);

    const response = await request(app)
      .get('/scans')
      .query({ entityRef: 'component:default/payments' });

    expect(response.status).toBe(403);
    expect(scanStore.listScans).not.toHaveBeenCalled();
  });

  it.each([
    [{}, /entityRef is required/],
    [{ entityRef: 'not a ref:' }, /not an entity reference/],
    [{ entityRef: 'component:default/payments', limit: '0' }, /limit must be/],
    [
      { entityRef: 'component:default/payments', limit: '2.5' },
      /limit must be/,
    ],
  ])('answers 400 for the query %j', async (query, message) => {
    const response = await request(app).get('/scans').query(query);

    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
  });
});
