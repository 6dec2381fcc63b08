import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { openApiViolations } from '../__testUtils__/openApiSpec';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const sbomUrl = 'https://github.com/acme/payments/blob/main/bom.json';
const sbom = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../../security-scorecards-node/src/ingest/__fixtures__/cyclonedx/vex.json',
  ),
);

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments',
      namespace: 'default',
      annotations: { 'security-scorecards/report-urls': sbomUrl },
    },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  },
];

describe('POST /sources/:sourceId/collect', () => {
  it('reads the report URLs of an entity through the URL reader, and the scans API shows the run', async () => {
    const readUrl = jest.fn(async (url: string) => {
      if (url !== sbomUrl) throw new Error(`unexpected ${url}`);
      return { buffer: async () => sbom, etag: 'v1', stream: jest.fn() };
    });
    const { server } = await startTestBackend({
      features: [
        securityScorecardsPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.urlReader.mock({ readUrl: readUrl as any }).factory,
      ],
    });

    const run = await request(server)
      .post('/api/security-scorecards/sources/url/collect')
      .query({ entityRef: 'component:default/payments' });
    expect(run.status).toBe(200);
    expect(
      openApiViolations('POST', '/sources/{sourceId}/collect', run),
    ).toEqual([]);
    expect(run.body).toMatchObject({
      sourceId: 'url',
      entityRef: 'component:default/payments',
      status: 'stored',
    });
    expect(readUrl).toHaveBeenCalledWith(
      sbomUrl,
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );

    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/payments' });
    expect(openApiViolations('GET', '/scans', scans)).toEqual([]);
    expect(scans.body.items[0].source).toBe(`url:${sbomUrl}`);
    expect(scans.body.collectors).toEqual([
      expect.objectContaining({ sourceId: 'url' }),
    ]);

    const unknown = await request(server)
      .post('/api/security-scorecards/sources/github/collect')
      .query({ entityRef: 'component:default/payments' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/No finding source 'github'/);
  });
});
