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

  function clientReturning(body: unknown, init: ResponseInit = {}) {
    const fetch = jest.fn().mockImplementation(
      async () =>
        new Response(typeof body === 'string' ? body : JSON.stringify(body), {
          status: 200,
          ...init,
        }),
    );
    return {
      fetch,
      client: new SecurityScorecardsClient({
        discoveryApi,
        fetchApi: { fetch },
      }),
    };
  }

  it('sends SLA states as a repeated parameter', async () => {
    const { fetch, client } = clientReturning({ items: [], totalCount: 0 });

    await client.listFindings({
      entityRef: 'component:default/payments',
      slaStates: ['due-soon', 'breached'],
    });

    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.searchParams.getAll('slaState')).toEqual([
      'due-soon',
      'breached',
    ]);
  });

  it('reads the scorecard of an entity', async () => {
    const { fetch, client } = clientReturning({
      entityRef: 'component:default/payments',
      score: 72,
    });

    const scorecard = await client.getEntityScorecard({
      entityRef: 'component:default/payments',
    });

    expect(scorecard.score).toBe(72);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/scorecards/entity?entityRef=component%3Adefault%2Fpayments',
    );
  });

  it('reads the rollup of a group with a target level', async () => {
    const { fetch, client } = clientReturning({ averageScore: 61.5 });

    const scorecard = await client.getGroupScorecard({
      entityRef: 'group:default/commerce',
      targetLevel: 3,
    });

    expect(scorecard.averageScore).toBe(61.5);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/scorecards/group?entityRef=group%3Adefault%2Fcommerce&targetLevel=3',
    );
  });

  it('reads the rollup of the whole organisation without parameters', async () => {
    const { fetch, client } = clientReturning({ averageScore: 50 });

    await client.getGroupScorecard({});

    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/scorecards/group',
    );
  });

  it('reads the score history over a number of days', async () => {
    const { fetch, client } = clientReturning({ entityRef: 'x', items: [] });

    await client.getScorecardHistory({
      entityRef: 'group:default/commerce',
      days: 90,
    });

    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/scorecards/history?entityRef=group%3Adefault%2Fcommerce&days=90',
    );
  });

  it('reads the rubric', async () => {
    const { fetch, client } = clientReturning({
      levels: [],
      checks: [],
      targetLevel: 2,
    });

    expect((await client.getRubric()).targetLevel).toBe(2);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/rubric',
    );
  });

  it('exports the CSV of a group as a blob', async () => {
    const { fetch, client } = clientReturning('entityRef,score\nx,10\n', {
      headers: { 'Content-Type': 'text/csv' },
    });

    const blob = await client.exportGroupCsv({
      entityRef: 'group:default/commerce',
    });

    expect(await blob.text()).toBe('entityRef,score\nx,10\n');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/scorecards/group/export?entityRef=group%3Adefault%2Fcommerce',
    );
  });

  it('fails the CSV export with the backend error', async () => {
    const { client } = clientReturning(
      { error: { name: 'NotFoundError', message: 'No such group' } },
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'Content-Type': 'application/json' },
      },
    );

    const failure = await client
      .exportGroupCsv({ entityRef: 'group:default/nope' })
      .catch(error => error);

    expect(failure).toBeInstanceOf(ResponseError);
    expect(failure.statusCode).toBe(404);
  });

  it('finds the entities using a package', async () => {
    const { fetch, client } = clientReturning({
      items: [{ entityRef: 'component:default/payments', name: 'lodash' }],
    });

    const usage = await client.findDependencyUsage({
      purl: 'pkg:npm/lodash@4.17.20',
    });

    expect(usage.items).toHaveLength(1);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/dependencies/usage?purl=pkg%3Anpm%2Flodash%404.17.20',
    );
  });
});
