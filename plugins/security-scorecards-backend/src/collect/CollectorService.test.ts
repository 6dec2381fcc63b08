import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotModifiedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CollectorBinding,
  FindingSource,
  FindingSourceState,
  ParsedReport,
} from '@secdevops/plugin-security-scorecards-node';
import { Readable } from 'node:stream';
import { serviceComponent } from '../__testUtils__/catalog';
import { createTestDatabases } from '../__testUtils__/databases';
import { reportFixture } from '../__testUtils__/reports';
import { createTestStore } from '../__testUtils__/stores';
import { EntityLookup } from '../catalog/EntityLookup';
import { ScanIngestionService } from '../ingest/ScanIngestionService';
import { CollectorService } from './CollectorService';
import { CollectedScan, collectorOfFindingSource } from './types';
import { createUrlCollector } from './urlCollector';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const sbomUrl = 'https://github.com/acme/payments/blob/main/bom.json';
const trivyUrl = 'https://ci.example.com/artifacts/trivy.json';

const foreignUrl =
  'https://raw.githubusercontent.com/acme/another-teams-private-repo/main/bom.json';

/** Read by the catalog from its own repository. */
const managedByPayments = {
  'backstage.io/managed-by-location':
    'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
};
const payments = serviceComponent('payments', 'team-payments', {
  ...managedByPayments,
  'security-scorecards/report-urls': `${sbomUrl}\n${trivyUrl}`,
});
const intruder = serviceComponent('intruder', 'team-payments', {
  ...managedByPayments,
  'security-scorecards/report-urls': `${foreignUrl}\n${sbomUrl}`,
});
const unannotated = serviceComponent('checkout', 'team-payments');

/**
 * A document the fake reader serves: a body, or, for `stream`, chunks
 * pulled one at a time (counted in `pulled`) with no buffer.
 */
type FakeDocument =
  | { body: Buffer; etag: string }
  | { stream: () => Iterable<Buffer>; pulled: { count: number }; etag: string }
  | Error;

/**
 * A URL reader over fixed documents with ETags: answers NotModifiedError to
 * a matching ETag, as Backstage's readers do; it records every URL asked.
 */
function fakeUrlReader(
  documents: Map<string, FakeDocument>,
): UrlReaderService & { reads: string[]; asked: string[] } {
  const reads: string[] = [];
  const asked: string[] = [];
  return {
    reads,
    asked,
    async readUrl(url, options) {
      asked.push(url);
      const document = documents.get(url);
      if (!document) throw new Error(`NotFoundError: ${url} not found`);
      if (document instanceof Error) throw document;
      if (options?.etag === document.etag) {
        throw new NotModifiedError('not modified');
      }
      reads.push(url);
      if ('stream' in document) {
        return {
          buffer: async () => {
            throw new Error('buffered a body the reader can stream');
          },
          etag: document.etag,
          stream: () =>
            Readable.from(
              (function* counted() {
                for (const chunk of document.stream()) {
                  document.pulled.count += 1;
                  yield chunk;
                }
              })(),
            ),
        };
      }
      // A reader that cannot stream, as some integrations.
      return { buffer: async () => document.body, etag: document.etag };
    },
    readTree: async () => {
      throw new Error('not used');
    },
    search: async () => {
      throw new Error('not used');
    },
  };
}

describe.each(databases.eachSupportedId())(
  'CollectorService on %s',
  databaseId => {
    async function setUp(
      id: TestDatabaseId,
      sources: FindingSource[] = [],
      urlAllow: string[] = ['https://ci.example.com/artifacts/**'],
      maxBytes = 10 * 1024 * 1024,
    ) {
      const { database, store } = await createTestStore(databases, id);
      const catalog = catalogServiceMock({ entities: [payments, unannotated] });
      const stored: string[] = [];
      const ingestion = new ScanIngestionService({
        store,
        entities: new EntityLookup(catalog, mockServices.auth()),
        maxBodyBytes: maxBytes,
        onScanStored: async entity => {
          stored.push(entity.metadata.name);
        },
      });
      const documents = new Map<string, FakeDocument>([
        [
          sbomUrl,
          { body: reportFixture('cyclonedx/vex.json'), etag: 'sbom-1' },
        ],
        [
          trivyUrl,
          { body: reportFixture('trivy/npm.json.golden'), etag: 'trivy-1' },
        ],
        // Another team's report, which the backend's credentials can read.
        [
          foreignUrl,
          { body: reportFixture('cyclonedx/vex.json'), etag: 'foreign-1' },
        ],
      ]);
      const urlReader = fakeUrlReader(documents);
      const options = {
        database,
        collectors: [
          createUrlCollector({
            urlReader,
            maxBytes,
            binding: new CollectorBinding({ sourceId: 'url', allow: urlAllow }),
          }),
          ...sources.map(collectorOfFindingSource),
        ],
        catalog,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        storeScan: (
          entity: Entity,
          { source, report }: CollectedScan,
          createdBy: string,
        ) => ingestion.storeReport(entity, report, { source, createdBy }),
        concurrency: 2,
      };
      const service = await CollectorService.create(options);
      /** Another service on the same database, as after a restart or on another instance. */
      const restart = () => CollectorService.create(options);
      return { store, service, restart, documents, urlReader, stored };
    }

    it('reads every report URL, stores one scan per report and records the run', async () => {
      const { store, service, stored } = await setUp(databaseId);

      const run = await service.collect('url', payments);
      expect(run.status).toBe('stored');
      expect(run.scans.map(scan => scan.format)).toEqual([
        'cyclonedx',
        'trivy',
      ]);
      expect(stored).toEqual(['payments', 'payments']);

      const scans = await store.listScans({
        entityRef: 'component:default/payments',
        limit: 10,
      });
      expect(scans.map(scan => scan.source).sort()).toEqual([
        `url:${trivyUrl}`,
        `url:${sbomUrl}`,
      ]);
      expect(scans[0].createdBy).toBe('plugin:security-scorecards/source/url');
      const [status] = await service.statuses('component:default/payments');
      expect(status).toMatchObject({ sourceId: 'url' });
      expect(status.error).toBeUndefined();
      expect(status.lastSuccessAt).toBe(status.lastRunAt);
    });

    it("reads no URL outside the entity's own location, and records why", async () => {
      const { store, service, urlReader } = await setUp(databaseId);

      const run = await service.collect('url', intruder);

      expect(urlReader.asked).toEqual([sbomUrl]);
      expect(run.status).toBe('failed');
      expect(run.error).toBe(
        `${foreignUrl}: Refused to collect url for component:default/intruder: the URL ${foreignUrl} of its security-scorecards/report-urls annotation is not in its own location (https://github.com/acme/payments/blob/main/catalog-info.yaml) and matches no glob of securityScorecards.sources.url.allow`,
      );
      expect(run.scans.map(scan => scan.format)).toEqual(['cyclonedx']);
      const [status] = await service.statuses('component:default/intruder');
      expect(status).toMatchObject({ sourceId: 'url', error: run.error });
      const scans = await store.listScans({
        entityRef: 'component:default/intruder',
        limit: 10,
      });
      expect(scans.map(scan => scan.source)).toEqual([`url:${sbomUrl}`]);
    });

    it('reads a URL outside the location when an allow glob matches it', async () => {
      const { service, urlReader } = await setUp(
        databaseId,
        [],
        ['https://raw.githubusercontent.com/acme/another-*/main/*.json'],
      );

      const run = await service.collect('url', intruder);

      expect(run.status).toBe('stored');
      expect(urlReader.reads).toEqual([foreignUrl, sbomUrl]);
      // Without the default glob, the CI artifact of payments is refused.
      const refused = await service.collect('url', payments);
      expect(refused.error).toMatch(
        /^https:\/\/ci\.example\.com\/artifacts\/trivy\.json: Refused to collect url/,
      );
    });

    it('stops reading a report at maxBodyBytes, streamed or buffered', async () => {
      const { service, documents, store } = await setUp(
        databaseId,
        [],
        undefined,
        64 * 1024,
      );
      const pulled = { count: 0 };
      documents.set(sbomUrl, {
        etag: 'endless',
        pulled,
        *stream() {
          // An endless body: only a reader that stops at the limit returns.
          for (;;) yield Buffer.alloc(16 * 1024, 0x20);
        },
      });
      documents.set(trivyUrl, {
        body: Buffer.alloc(64 * 1024 + 1, 0x20),
        etag: 'large',
      });

      const run = await service.collect('url', payments);

      expect(run.status).toBe('failed');
      expect(run.error).toBe(
        [sbomUrl, trivyUrl]
          .map(
            url =>
              `${url}: The report is more than the limit of 65536 bytes (securityScorecards.ingest.maxBodyBytes)`,
          )
          .join('; '),
      );
      // Read ahead by the stream at most, never the whole (endless) body.
      expect(pulled.count).toBeLessThan(32);
      expect(
        await store.listScans({
          entityRef: 'component:default/payments',
          limit: 10,
        }),
      ).toEqual([]);
    });

    it('costs no re-ingestion while the ETags stay the same', async () => {
      const { service, documents, urlReader } = await setUp(databaseId);
      await service.collect('url', payments);
      expect(urlReader.reads).toHaveLength(2);

      const unchanged = await service.collect('url', payments);
      expect(unchanged).toMatchObject({ status: 'unchanged', scans: [] });
      expect(urlReader.reads).toHaveLength(2);

      // A new version of one report is read and stored; the other is not.
      documents.set(trivyUrl, {
        body: reportFixture('trivy/npm-with-suppressed.json.golden'),
        etag: 'trivy-2',
      });
      const changed = await service.collect('url', payments);
      expect(changed.scans.map(scan => scan.format)).toEqual(['trivy']);
      expect(urlReader.reads).toEqual([sbomUrl, trivyUrl, trivyUrl]);
    });

    it('records a failing report, keeps the others and the last success', async () => {
      const { service, documents } = await setUp(databaseId);
      await service.collect('url', payments);
      documents.set(trivyUrl, new Error('NotFoundError: 404 Not Found'));
      documents.set(sbomUrl, {
        body: reportFixture('cyclonedx/vex.json'),
        etag: 'x',
      });

      const run = await service.collect('url', payments);
      expect(run.status).toBe('failed');
      expect(run.error).toBe(`${trivyUrl}: NotFoundError: 404 Not Found`);
      expect(run.scans).toHaveLength(1);
      const [status] = await service.statuses('component:default/payments');
      expect(status.error).toBe(run.error);
      expect(status.lastSuccessAt).toBeDefined();
      expect(status.lastSuccessAt).not.toBe(status.lastRunAt);
    });

    it("runs a module's source for every entity it applies to, and records a throw as a failure", async () => {
      const collected: string[] = [];
      const source: FindingSource = {
        id: 'fake-alerts',
        appliesTo: entity => entity.kind === 'Component',
        defaultFrequency: { hours: 1 },
        async collect(entity) {
          collected.push(entity.metadata.name);
          if (entity.metadata.name === 'checkout') {
            throw new Error('403 rate limited');
          }
          return {
            format: 'github-dependabot',
            scanner: 'fake',
            findings: [],
            dependencies: [],
          };
        },
      };
      const { service } = await setUp(databaseId, [source]);

      await expect(service.collectAll('fake-alerts')).resolves.toEqual({
        stored: 1,
        unchanged: 0,
        failed: 1,
      });
      expect(collected.sort()).toEqual(['checkout', 'payments']);
      expect(
        await service.statuses('component:default/checkout'),
      ).toMatchObject([{ sourceId: 'fake-alerts', error: '403 rate limited' }]);
    });

    it("gives a module's source the state it set in its last successful run, across failures and restarts", async () => {
      const received: Array<string | undefined> = [];
      /** What each run of the source does with its state, in order. */
      const runs: Array<
        (state: FindingSourceState) => ParsedReport | undefined
      > = [
        state => {
          state.set('etag-1');
          return undefined;
        },
        state => {
          state.set('etag-2');
          throw new Error('502 Bad Gateway');
        },
        state => {
          state.set('discarded');
          state.set('etag-3');
          return {
            format: 'github-dependabot',
            scanner: 'fake',
            findings: [],
            dependencies: [],
          };
        },
        () => undefined,
        () => undefined,
      ];
      const source: FindingSource = {
        id: 'stateful',
        appliesTo: entity => entity.metadata.name === 'payments',
        defaultFrequency: { hours: 1 },
        async collect(_entity, { state }) {
          received.push(state.previous);
          return runs[received.length - 1](state);
        },
      };
      const { service, restart } = await setUp(databaseId, [source]);

      expect((await service.collect('stateful', payments)).status).toBe(
        'unchanged',
      );
      // A run that throws does not replace the state of the last success.
      expect((await service.collect('stateful', payments)).status).toBe(
        'failed',
      );
      // A new service on the same database, as after a restart, reads it.
      const restarted = await restart();
      expect((await restarted.collect('stateful', payments)).status).toBe(
        'stored',
      );
      // The last value set wins; a run that sets nothing keeps it.
      await (await restart()).collect('stateful', payments);
      await service.collect('stateful', payments);

      expect(received).toEqual([
        undefined,
        'etag-1',
        'etag-1',
        'etag-3',
        'etag-3',
      ]);
    });

    it('refuses an unknown source, and an entity the source does not apply to', async () => {
      const { service } = await setUp(databaseId);
      await expect(service.collect('nope', payments)).rejects.toThrow(
        "No finding source 'nope'; installed: url",
      );
      await expect(service.collect('url', unannotated)).rejects.toThrow(
        /does not apply to component:default\/checkout/,
      );
    });
  },
);

describe('collectorOfFindingSource', () => {
  const signal = new AbortController().signal;
  const report = {
    format: 'github-dependabot',
    scanner: 'fake',
    findings: [],
    dependencies: [],
  };

  it('passes the previous state and returns the last value set', async () => {
    const previous: Array<string | undefined> = [];
    const collector = collectorOfFindingSource({
      id: 'stateful',
      appliesTo: () => true,
      defaultFrequency: { hours: 1 },
      async collect(_entity, { state }) {
        previous.push(state.previous);
        state.set('a');
        state.set('b');
        return report;
      },
    });

    await expect(
      collector.collect(payments, { signal, state: 'before' }),
    ).resolves.toEqual({
      scans: [{ source: 'stateful', report }],
      state: 'b',
    });
    await expect(collector.collect(payments, { signal })).resolves.toEqual({
      scans: [{ source: 'stateful', report }],
      state: 'b',
    });
    expect(previous).toEqual(['before', undefined]);
  });

  it('returns no state for a source that ignores it', async () => {
    const collector = collectorOfFindingSource({
      id: 'stateless',
      appliesTo: () => true,
      defaultFrequency: { hours: 1 },
      collect: async (_entity, { signal: _signal }) => undefined,
    });

    await expect(
      collector.collect(payments, { signal, state: 'kept' }),
    ).resolves.toEqual({ scans: [] });
  });
});
