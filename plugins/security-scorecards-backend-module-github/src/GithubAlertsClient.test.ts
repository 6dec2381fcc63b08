import { ConfigReader } from '@backstage/config';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  GithubAlertsClient,
  GithubAlertsClientOptions,
  nextLinkOf,
} from './GithubAlertsClient';
import { GithubAlertListState, writeListState } from './listState';
import {
  codeScanningAlert,
  dependabotAlerts,
  FakeGithub,
  secretScanningAlerts,
} from './__testUtils__/fakeGithub';

const repository = { host: 'github.com', owner: 'acme', repo: 'payments' };
const alertsPath = '/repos/acme/payments/dependabot/alerts';

describe('GithubAlertsClient', () => {
  const github = new FakeGithub();
  let clock: number;
  let sleeps: number[];

  beforeAll(() => github.start());
  afterAll(() => github.stop());
  beforeEach(() => {
    github.repos.clear();
    github.requests.length = 0;
    github.queued.length = 0;
    github.pageSize = 100;
    clock = Date.UTC(2026, 0, 1, 12, 0, 0);
    sleeps = [];
  });

  function client(
    options: Partial<GithubAlertsClientOptions> = {},
    integrationConfig: object[] = [
      { host: 'github.com', apiBaseUrl: github.baseUrl, token: 't' },
    ],
  ): GithubAlertsClient {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({ integrations: { github: integrationConfig } }),
    );
    return new GithubAlertsClient({
      integrations,
      credentialsProvider:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      now: () => clock,
      sleep: async ms => {
        sleeps.push(ms);
        clock += ms;
      },
      ...options,
    });
  }

  const list = (
    target: GithubAlertsClient,
    kind: 'dependabot' | 'code-scanning' | 'secret-scanning' = 'dependabot',
    previous?: GithubAlertListState,
  ) => target.listAlerts({ repository, kind, previous });

  it('follows Link rel="next" across pages with the integration token', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(5));
    github.pageSize = 2;

    const result = await list(client());

    expect(result.changed).toBe(true);
    expect(result.alerts.map((alert: any) => alert.number)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    const requests = github.requestsTo(alertsPath);
    expect(requests.map(request => request.path)).toEqual([
      `${alertsPath}?per_page=100`,
      `${alertsPath}?per_page=100&page=2`,
      `${alertsPath}?per_page=100&page=3`,
    ]);
    for (const request of requests) {
      expect(request.headers.authorization).toBe('Bearer t');
      expect(request.headers.accept).toBe('application/vnd.github+json');
      expect(request.headers['x-github-api-version']).toBe('2022-11-28');
    }
  });

  it('answers unchanged when every page is 304 Not Modified since the previous state', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(5));
    github.pageSize = 2;
    const target = client();
    const first = await list(target);
    github.requests.length = 0;

    const again = await list(target, 'dependabot', first.state);

    expect(again).toEqual({ alerts: [], changed: false, state: first.state });
    const requests = github.requestsTo(alertsPath);
    expect(requests.map(request => request.status)).toEqual([304, 304, 304]);
    expect(requests.every(request => request.headers['if-none-match'])).toBe(
      true,
    );

    // The client remembers nothing itself: without the state (another
    // entity of the same repository, say) everything is read.
    github.requests.length = 0;
    const other = await list(target);
    expect(other.changed).toBe(true);
    expect(other.alerts).toHaveLength(5);
    expect(
      github.requests.some(request => request.headers['if-none-match']),
    ).toBe(false);
  });

  it('keeps the ETags and next-page URLs of the pages as the state, not the alerts', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(5));
    github.pageSize = 2;

    const { state } = await list(client());

    const url = `${github.baseUrl}${alertsPath}?per_page=100`;
    expect(state).toEqual({
      url,
      at: clock,
      pages: [
        { etag: expect.stringMatching(/^W\/"/), next: `${url}&page=2` },
        { etag: expect.any(String), next: `${url}&page=3` },
        { etag: expect.any(String) },
      ],
    });
    const text = writeListState(state);
    expect(text).not.toContain('GHSA');
    expect(text.length).toBeLessThan(1000);
  });

  it('ignores the state of another list', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    github.setAlerts('acme/payments', 'code-scanning', [codeScanningAlert()]);
    const target = client();
    const { state } = await list(target);

    const other = await list(target, 'code-scanning', state);

    expect(other.changed).toBe(true);
    expect(other.alerts).toHaveLength(1);
    expect(
      github.requests.some(request => request.headers['if-none-match']),
    ).toBe(false);
  });

  it('keeps no ETags when a page has none', async () => {
    github.queued.push({
      match: /dependabot/,
      response: { status: 200, body: dependabotAlerts(1) },
    });
    const target = client();

    const first = await list(target);

    expect(first.state).toMatchObject({ pages: [] });
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    expect((await list(target, 'dependabot', first.state)).changed).toBe(true);
    expect(
      github.requests.some(request => request.headers['if-none-match']),
    ).toBe(false);
  });

  it('reads every page again when a later page changed', async () => {
    const alerts = dependabotAlerts(5);
    github.setAlerts('acme/payments', 'dependabot', alerts);
    github.pageSize = 2;
    const target = client();
    const first = await list(target);
    alerts[4].state = 'fixed';
    github.requests.length = 0;

    const again = await list(target, 'dependabot', first.state);

    expect(again.changed).toBe(true);
    expect(again.alerts.map((alert: any) => alert.state)).toEqual([
      'open',
      'open',
      'open',
      'open',
      'fixed',
    ]);
    // 304, 304, 200 (changed), then pages 1 to 3 without conditions.
    expect(github.requestsTo(alertsPath).map(r => r.status)).toEqual([
      304, 304, 200, 200, 200, 200,
    ]);
  });

  it('reads everything again once the ETags are older than maxCacheAgeMs', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    const target = client({ maxCacheAgeMs: 60_000 });
    const first = await list(target);
    clock += 30_000;
    const second = await list(target, 'dependabot', first.state);
    expect(second.changed).toBe(false);
    // A 304 is not a full read: the ETags keep their age.
    expect(second.state.at).toBe(first.state.at);
    clock += 31_000;
    const third = await list(target, 'dependabot', second.state);
    expect(third.changed).toBe(true);
    expect(third.state.at).toBe(clock);
  });

  it('waits for x-ratelimit-reset after a 403 rate limit answer, then retries', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    const resetSeconds = Math.floor(clock / 1000) + 30;
    github.queued.push({
      match: /dependabot/,
      response: {
        status: 403,
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(resetSeconds),
          'x-ratelimit-used': '5000',
        },
        body: {
          message: 'API rate limit exceeded for user ID 1.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
      },
    });

    const result = await list(client());

    expect(result.alerts).toHaveLength(1);
    expect(sleeps).toEqual([
      resetSeconds * 1000 + 1000 - Date.UTC(2026, 0, 1, 12),
    ]);
    expect(github.requestsTo(alertsPath).map(r => r.status)).toEqual([
      403, 200,
    ]);
  });

  it('waits retry-after seconds after a secondary rate limit', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    github.queued.push({
      match: /dependabot/,
      response: {
        status: 429,
        headers: { 'retry-after': '7' },
        body: { message: 'You have exceeded a secondary rate limit.' },
      },
    });

    const result = await list(client());

    expect(result.alerts).toHaveLength(1);
    expect(sleeps).toEqual([7000]);
  });

  it('fails at once, and keeps failing without asking, when the limit resets after the cap', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    github.queued.push({
      match: /dependabot/,
      response: {
        status: 403,
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(clock / 1000) + 3000),
        },
        body: { message: 'API rate limit exceeded for user ID 1.' },
      },
    });
    const target = client({ maxRateLimitWaitMs: 60_000 });

    await expect(list(target)).rejects.toThrow(ServiceUnavailableError);
    await expect(list(target, 'secret-scanning')).rejects.toThrow(
      /rate limit .* is used up until/,
    );
    expect(sleeps).toEqual([]);
    expect(github.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts rate limit answers', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    for (let i = 0; i < 3; i += 1) {
      github.queued.push({
        match: /dependabot/,
        response: {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { message: 'You have exceeded a secondary rate limit.' },
        },
      });
    }

    await expect(list(client({ maxAttempts: 3 }))).rejects.toThrow(
      /still applies after 3 attempts/,
    );
    expect(github.requests).toHaveLength(3);
  });

  it('retries 5xx answers with a backoff', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(2));
    github.queued.push({
      match: /dependabot/,
      response: { status: 502, body: { message: 'Server Error' } },
    });

    const result = await list(client());

    expect(result.alerts).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('throws a NotFoundError naming the repository when it does not exist', async () => {
    const error = await list(client()).catch(e => e);

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(
      /GitHub repository acme\/payments not found on github.com/,
    );
    expect(github.requests.map(request => request.path)).toEqual([
      `${alertsPath}?per_page=100`,
      '/repos/acme/payments',
    ]);
  });

  it.each([
    [
      'code-scanning',
      403,
      'Advanced Security must be enabled for this repository to use code scanning.',
    ],
    ['code-scanning', 404, 'no analysis found'],
    ['secret-scanning', 404, 'Secret scanning is disabled on this repository.'],
    ['dependabot', 403, 'Dependabot alerts are disabled for this repository.'],
  ] as const)(
    'reads %s answering %s "%s" as no alerts, unchanged the next time',
    async (kind, status, message) => {
      github.setAlerts('acme/payments', kind, { status, message });
      const target = client();

      const first = await list(target, kind);
      const second = await list(target, kind, first.state);

      expect(first).toEqual({
        alerts: [],
        changed: true,
        unavailable: `${status} ${message}`,
        state: expect.objectContaining({ unavailable: `${status} ${message}` }),
      });
      expect(second.changed).toBe(false);
      expect(second.state).toEqual(first.state);
    },
  );

  it('fails when the credentials may not read the alerts', async () => {
    github.setAlerts('acme/payments', 'secret-scanning', {
      status: 403,
      message: 'Resource not accessible by integration',
    });

    await expect(list(client(), 'secret-scanning')).rejects.toThrow(
      NotAllowedError,
    );
  });

  it('reads code scanning and secret scanning alerts as listed', async () => {
    github.setAlerts('acme/payments', 'code-scanning', [codeScanningAlert()]);
    github.setAlerts(
      'acme/payments',
      'secret-scanning',
      secretScanningAlerts(),
    );
    const target = client();

    expect((await list(target, 'code-scanning')).alerts).toHaveLength(1);
    expect((await list(target, 'secret-scanning')).alerts).toHaveLength(2);
  });

  it('uses the API base URL of a GitHub Enterprise host', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    const target = client({}, [
      {
        host: 'ghe.example.com',
        apiBaseUrl: `${github.baseUrl}/api/v3`,
        token: 'e',
      },
    ]);

    const result = await target.listAlerts({
      repository: { ...repository, host: 'ghe.example.com' },
      kind: 'dependabot',
    });

    expect(result.alerts).toHaveLength(1);
    expect(github.requests[0].path).toBe(`/api/v3${alertsPath}?per_page=100`);
    expect(github.requests[0].headers.authorization).toBe('Bearer e');
    await expect(
      target.listAlerts({
        repository: { ...repository, host: 'gitlab.example.com' },
        kind: 'dependabot',
      }),
    ).rejects.toThrow(/No GitHub integration for host gitlab.example.com/);
  });

  it('refuses to send the credentials to a next page on another origin', async () => {
    github.queued.push({
      match: /dependabot/,
      response: {
        status: 200,
        headers: {
          link: '<https://evil.example.com/repos/acme/payments/dependabot/alerts?page=2>; rel="next"',
        },
        body: dependabotAlerts(1),
      },
    });

    await expect(list(client())).rejects.toThrow(
      /refusing to send the credentials/,
    );
  });
});

describe('nextLinkOf', () => {
  it('reads the next URL of a GitHub Link header', () => {
    expect(
      nextLinkOf(
        '<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", <https://api.github.com/repositories/1300192/issues?page=4>; rel="next", <https://api.github.com/repositories/1300192/issues?page=515>; rel="last", <https://api.github.com/repositories/1300192/issues?page=1>; rel="first"',
      ),
    ).toBe('https://api.github.com/repositories/1300192/issues?page=4');
    expect(
      nextLinkOf(
        '<https://api.github.com/repositories/1300192/issues?page=514>; rel="prev", <https://api.github.com/repositories/1300192/issues?page=1>; rel="first"',
      ),
    ).toBeUndefined();
    expect(nextLinkOf(null)).toBeUndefined();
  });

  it('reads other spellings of rel the way the old pattern did', () => {
    expect(nextLinkOf('<https://x/2>;rel=next')).toBe('https://x/2');
    expect(nextLinkOf('<https://x/2> ; REL = "prev next"')).toBe('https://x/2');
    expect(nextLinkOf('<<https://x/2>; rel="next"')).toBe('<https://x/2');
    expect(nextLinkOf('<> <https://x/3>; rel="next"')).toBe('https://x/3');
    expect(nextLinkOf('<https://x/2>; rel="last"')).toBeUndefined();
  });

  it('reads a pathological header in linear time', () => {
    // The old pattern `<([^>]+)>\s*;` was retried at every `<` of a run
    // without `>`: minutes on a megabyte, milliseconds now.
    const start = Date.now();
    expect(nextLinkOf('<'.repeat(2 * 1024 * 1024))).toBeUndefined();
    expect(
      nextLinkOf(`<https://x/2>; rel=${'"'.repeat(2 * 1024 * 1024)}`),
    ).toBeUndefined();
    expect(Date.now() - start).toBeLessThan(5000);
  });
});
