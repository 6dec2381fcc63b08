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

  it('lists the scans with the pull collectors, and without them from an older backend', async () => {
    const collectors = [
      {
        sourceId: 'github-dependabot',
        lastRunAt: '2026-11-28T10:00:00.000Z',
        error: 'GitHub answered 401',
      },
    ];
    const { fetch, client } = clientReturning({ items: [], collectors });

    expect(
      await client.listScanHistory({
        entityRef: 'component:default/payments',
        limit: 50,
      }),
    ).toEqual({ items: [], collectors });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/scans?entityRef=component%3Adefault%2Fpayments&limit=50',
    );

    const older = clientReturning({ items: [{ id: 'scan-1' }] });
    expect(
      await older.client.listScanHistory({
        entityRef: 'component:default/payments',
      }),
    ).toEqual({ items: [{ id: 'scan-1' }], collectors: [] });
  });

  it('lists the escalations of a group subtree in a state', async () => {
    const { fetch, client } = clientReturning({ items: [] });

    await client.listEscalations({
      groupRef: 'group:default/commerce',
      state: 'active',
      limit: 100,
    });

    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/escalations?groupRef=group%3Adefault%2Fcommerce&state=active&limit=100',
    );
  });

  it('lists the escalations of an entity, and of the organisation without parameters', async () => {
    const { fetch, client } = clientReturning({ items: [] });

    await client.listEscalations({ entityRef: 'component:default/payments' });
    await client.listEscalations({});

    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backend/api/security-scorecards/escalations?entityRef=component%3Adefault%2Fpayments',
      'http://backend/api/security-scorecards/escalations',
    ]);
  });

  it('lists the waivers of an entity in some statuses', async () => {
    const { fetch, client } = clientReturning({ items: [{ id: 'w1' }] });

    const waivers = await client.listWaivers({
      entityRef: 'component:default/payments',
      status: ['pending', 'active'],
    });

    expect(waivers.items).toEqual([{ id: 'w1' }]);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/waivers?entityRef=component%3Adefault%2Fpayments&status=pending%2Cactive',
    );
  });

  it('requests a waiver with a JSON body', async () => {
    const { fetch, client } = clientReturning(
      { id: 'w1', status: 'pending' },
      { status: 201 },
    );
    const request = {
      entityRef: 'component:default/payments',
      ruleId: 'CVE-2021-23337',
      justification: 'Templates are never compiled from user input',
      expiresAt: '2026-12-31T22:59:59.999Z',
    };

    const waiver = await client.createWaiver(request);

    expect(waiver.status).toBe('pending');
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/security-scorecards/waivers');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual(request);
  });

  it('fails a waiver request with the backend message', async () => {
    const { client } = clientReturning(
      {
        error: {
          name: 'InputError',
          message: 'expiresAt must be at most 90 days ahead',
        },
        response: { statusCode: 400 },
      },
      {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'Content-Type': 'application/json' },
      },
    );

    const failure = await client
      .createWaiver({
        entityRef: 'component:default/payments',
        ruleId: 'x',
        justification: 'y',
        expiresAt: '2099-01-01',
      })
      .catch(error => error);

    expect(failure).toBeInstanceOf(ResponseError);
    expect(failure.statusCode).toBe(400);
    expect(failure.body.error.message).toBe(
      'expiresAt must be at most 90 days ahead',
    );
  });

  it('approves, rejects and revokes a waiver', async () => {
    const { fetch, client } = clientReturning({ id: 'w/1' });

    await client.approveWaiver('w/1');
    await client.rejectWaiver('w/1', 'Fix it instead');
    await client.rejectWaiver('w/1');
    await client.revokeWaiver('w/1');

    expect(
      fetch.mock.calls.map(([url, init]) => [url, init.method, init.body]),
    ).toEqual([
      [
        'http://backend/api/security-scorecards/waivers/w%2F1/approve',
        'POST',
        undefined,
      ],
      [
        'http://backend/api/security-scorecards/waivers/w%2F1/reject',
        'POST',
        JSON.stringify({ reason: 'Fix it instead' }),
      ],
      [
        'http://backend/api/security-scorecards/waivers/w%2F1/reject',
        'POST',
        '{}',
      ],
      [
        'http://backend/api/security-scorecards/waivers/w%2F1',
        'DELETE',
        undefined,
      ],
    ]);
  });

  it('reads the history of a waiver', async () => {
    const { fetch, client } = clientReturning({
      items: [{ waiverId: 'w1', action: 'requested', actor: 'user:default/a' }],
    });

    const history = await client.getWaiverHistory('w1');

    expect(history.items[0].action).toBe('requested');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/waivers/w1/history',
    );
  });

  it('exports the VEX document of an entity as a blob', async () => {
    const { fetch, client } = clientReturning(
      '{"bomFormat":"CycloneDX","specVersion":"1.6"}',
      { headers: { 'Content-Type': 'application/vnd.cyclonedx+json' } },
    );

    const blob = await client.exportVex('component:default/payments');

    expect(JSON.parse(await blob.text())).toEqual({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/security-scorecards/waivers/vex?entityRef=component%3Adefault%2Fpayments',
    );
  });
});
