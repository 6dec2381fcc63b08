import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Readable } from 'node:stream';
import request from 'supertest';
import { serviceComponent } from '../__testUtils__/catalog';
import { expectToMatchSpec } from '../__testUtils__/openApiSpec';
import { reportFixture } from '../__testUtils__/reports';
import { securityScorecardsPlugin } from '../plugin';

jest.setTimeout(60_000);

const sbomUrl = 'https://github.com/acme/payments/blob/main/bom.json';
const sbom = reportFixture('cyclonedx/vex.json');

const foreignUrl =
  'https://github.com/acme/another-teams-private-repo/blob/main/bom.json';
const managedByPayments = {
  'backstage.io/managed-by-location':
    'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
};

const entities: Entity[] = [
  serviceComponent('payments', 'team-payments', {
    ...managedByPayments,
    'security-scorecards/report-urls': sbomUrl,
  }),
  serviceComponent('intruder', 'team-payments', {
    ...managedByPayments,
    'security-scorecards/report-urls': foreignUrl,
  }),
];

describe('POST /sources/:sourceId/collect', () => {
  it('reads the report URLs of an entity through the URL reader, and the scans API shows the run', async () => {
    const readUrl = jest.fn(async (url: string) => {
      if (url !== sbomUrl) throw new Error(`unexpected ${url}`);
      return {
        buffer: async () => sbom,
        etag: 'v1',
        stream: () => Readable.from([sbom]),
      };
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

  it('answers a refused collection with the run and its reason, reading nothing', async () => {
    const readUrl = jest.fn();
    const { server } = await startTestBackend({
      features: [
        securityScorecardsPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.urlReader.mock({ readUrl }).factory,
      ],
    });

    const run = await request(server)
      .post('/api/security-scorecards/sources/url/collect')
      .query({ entityRef: 'component:default/intruder' });

    expect(run.status).toBe(200);
    expectToMatchSpec('POST', '/sources/{sourceId}/collect', run);
    expect(run.body).toEqual({
      sourceId: 'url',
      entityRef: 'component:default/intruder',
      status: 'failed',
      error: `${foreignUrl}: Refused to collect url for component:default/intruder: the URL ${foreignUrl} of its security-scorecards/report-urls annotation is not in its own location (https://github.com/acme/payments/blob/main/catalog-info.yaml) and matches no glob of securityScorecards.sources.url.allow`,
      scans: [],
    });
    expect(readUrl).not.toHaveBeenCalled();
    const scans = await request(server)
      .get('/api/security-scorecards/scans')
      .query({ entityRef: 'component:default/intruder' });
    expect(scans.body.collectors).toEqual([
      expect.objectContaining({ sourceId: 'url', error: run.body.error }),
    ]);
  });

  it('reads a URL securityScorecards.sources.url.allow allows', async () => {
    const readUrl = jest.fn(async () => ({
      buffer: async () => sbom,
      stream: () => Readable.from([sbom]),
    }));
    const { server } = await startTestBackend({
      features: [
        securityScorecardsPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.urlReader.mock({ readUrl }).factory,
        mockServices.rootConfig.factory({
          data: {
            securityScorecards: {
              sources: {
                url: { allow: ['https://github.com/acme/another-*/**'] },
              },
            },
          },
        }),
      ],
    });

    const run = await request(server)
      .post('/api/security-scorecards/sources/url/collect')
      .query({ entityRef: 'component:default/intruder' });

    expect(run.body).toMatchObject({ status: 'stored' });
    expect(readUrl).toHaveBeenCalledWith(foreignUrl, expect.anything());
  });
});
