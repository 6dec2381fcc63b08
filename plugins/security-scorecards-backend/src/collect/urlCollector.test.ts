import { mockServices } from '@backstage/backend-test-utils';
import { CollectorBinding } from '@secdevops/plugin-security-scorecards-node';
import { Readable } from 'node:stream';
import { serviceComponent } from '../__testUtils__/catalog';
import { reportFixture } from '../__testUtils__/reports';
import { createUrlCollector } from './urlCollector';

const leaksUrl =
  'https://github.com/acme/payments/blob/main/reports/gitleaks.json';
const payments = serviceComponent('payments', 'team-payments', {
  'backstage.io/managed-by-location':
    'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
  'security-scorecards/report-urls': leaksUrl,
});

describe('createUrlCollector', () => {
  it('hashes detected secrets with the hasher it is given', async () => {
    const leaks = reportFixture('gitleaks/gitleaks8_many.json');
    const collector = createUrlCollector({
      urlReader: mockServices.urlReader.mock({
        readUrl: async () => ({
          buffer: async () => leaks,
          stream: () => Readable.from([leaks]),
        }),
      }),
      maxBytes: 10 * 1024 * 1024,
      binding: new CollectorBinding({ sourceId: 'url' }),
      hashSecret: secret => `keyed:${secret.length}`,
    });

    const { scans, errors } = await collector.collect(payments, {
      signal: new AbortController().signal,
    });

    expect(errors).toEqual([]);
    const secrets = scans[0].report.findings.map(f => f.secret?.sha256);
    expect(secrets.length).toBeGreaterThan(0);
    for (const hash of secrets) expect(hash).toMatch(/^keyed:\d+$/);
  });
});
