import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { serviceComponent } from '../__testUtils__/catalog';
import { expectToMatchSpec } from '../__testUtils__/openApiSpec';
import { reportFixture } from '../__testUtils__/reports';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const sbomUrl = 'https://github.com/acme/payments/blob/main/bom.json';
const sbom = reportFixture('cyclonedx/vex.json');

const entities: Entity[] = [
  serviceComponent('payments', 'team-payments', {
    'security-scorecards/report-urls': sbomUrl,
  }),
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
    expectToMatchSpec('POST', '/sources/{sourceId}/collect', run);
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
    expectToMatchSpec('GET', '/scans', scans);
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
