import { ResponseError } from '@backstage/errors';
import { SecurityScorecardsClient } from './SecurityScorecardsClient';

describe('SecurityScorecardsClient', () => {
  const discoveryApi = {
    getBaseUrl: jest
      .fn()
      .mockResolvedValue('http://backend/api/security-scorecards'),
  };

  it('lists the scans of an entity', async () => {
    const fetch = jest.fn().mockResolvedValue(
      new Response(JSON.stringify({ items: [{ id: 'scan-1' }] }), {
        status: 200,
      }),
    );
    const client = new SecurityScorecardsClient({
      discoveryApi,
      fetchApi: { fetch },
    });

    const scans = await client.listScans({
      entityRef: 'component:default/payments',
      limit: 5,
    });

    expect(scans).toEqual([{ id: 'scan-1' }]);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/scans?entityRef=component%3Adefault%2Fpayments&limit=5',
    );
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const fetch = jest.fn().mockResolvedValue(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed to read the scans',
          },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    const client = new SecurityScorecardsClient({
      discoveryApi,
      fetchApi: { fetch },
    });

    const failure = await client
      .listScans({ entityRef: 'component:default/payments' })
      .catch(error => error);

    expect(failure).toBeInstanceOf(ResponseError);
    expect(failure.statusCode).toBe(403);
    expect(failure.cause.message).toBe('Not allowed to read the scans');
  });

  it('sends findings filters, sorting and paging as query parameters', async () => {
    const fetch = jest.fn().mockResolvedValue(
      new Response(JSON.stringify({ items: [], totalCount: 0 }), {
        status: 200,
      }),
    );
    const client = new SecurityScorecardsClient({
      discoveryApi,
      fetchApi: { fetch },
    });

    await client.listFindings({
      entityRef: 'component:default/payments',
      severities: ['critical', 'high'],
      statuses: ['open'],
      text: 'lodash',
      orderBy: 'severity',
      order: 'desc',
      limit: 20,
      offset: 40,
    });

    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/security-scorecards/findings');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      entityRef: 'component:default/payments',
      severity: 'critical,high',
      status: 'open',
      q: 'lodash',
      orderBy: 'severity',
      order: 'desc',
      limit: '20',
      offset: '40',
    });
  });

  it('asks for vulnerable dependencies', async () => {
    const fetch = jest.fn().mockResolvedValue(
      new Response(JSON.stringify({ items: [], totalCount: 0 }), {
        status: 200,
      }),
    );
    const client = new SecurityScorecardsClient({
      discoveryApi,
      fetchApi: { fetch },
    });

    await client.listDependencies({
      entityRef: 'component:default/payments',
      vulnerable: true,
      limit: 10,
    });

    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/dependencies?entityRef=component%3Adefault%2Fpayments&vulnerable=true&limit=10',
    );
  });
});
