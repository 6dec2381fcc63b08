import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  CollectorBinding,
  FindingSource,
  FindingSourceState,
} from '@secdevops/plugin-security-scorecards-node';
import { GithubAlertsClient } from './GithubAlertsClient';
import { createGithubFindingSources, githubRepositoryOf } from './sources';
import {
  codeScanningAlert,
  dependabotAlerts,
  FakeGithub,
  secretScanningAlerts,
} from './__testUtils__/fakeGithub';

/** A source's state for one run, as the backend gives it: `value` is what it set. */
function stateOf(previous?: string): FindingSourceState & { value?: string } {
  const state: FindingSourceState & { value?: string } = {
    previous,
    set(value: string) {
      state.value = value;
    },
  };
  return state;
}

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

describe('githubRepositoryOf', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [
          { host: 'github.com', token: 't' },
          {
            host: 'ghe.example.com',
            apiBaseUrl: 'https://ghe.example.com/api/v3',
          },
        ],
      },
    }),
  );

  it('reads owner and repository from github.com/project-slug, on github.com', () => {
    expect(
      githubRepositoryOf(
        entity({ 'github.com/project-slug': 'acme/payments' }),
        integrations,
      ),
    ).toEqual({ host: 'github.com', owner: 'acme', repo: 'payments' });
  });

  it('takes the host of github.com/host, else of a GitHub source location', () => {
    expect(
      githubRepositoryOf(
        entity({
          'github.com/project-slug': 'acme/payments',
          'github.com/host': 'ghe.example.com',
        }),
        integrations,
      )?.host,
    ).toBe('ghe.example.com');
    expect(
      githubRepositoryOf(
        entity({
          'github.com/project-slug': 'acme/payments',
          'backstage.io/source-location':
            'url:https://ghe.example.com/acme/payments/tree/main/',
        }),
        integrations,
      )?.host,
    ).toBe('ghe.example.com');
    expect(
      githubRepositoryOf(
        entity({
          'github.com/project-slug': 'acme/payments',
          'backstage.io/source-location':
            'url:https://gitlab.example.com/acme/payments/',
        }),
        integrations,
      )?.host,
    ).toBe('github.com');
  });

  it('ignores a missing or malformed slug', () => {
    expect(githubRepositoryOf(entity({}), integrations)).toBeUndefined();
    for (const slug of ['payments', 'acme/payments/extra', 'https://x/y', '']) {
      expect(
        githubRepositoryOf(
          entity({ 'github.com/project-slug': slug }),
          integrations,
        ),
      ).toBeUndefined();
    }
  });
});

describe('createGithubFindingSources', () => {
  const github = new FakeGithub();
  let sources: Record<string, FindingSource>;
  /** Read by the catalog from its own repository. */
  const payments = entity({
    'github.com/project-slug': 'acme/payments',
    'backstage.io/managed-by-location':
      'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
  });
  /** Names another team's repository. */
  const intruder = entity({
    'github.com/project-slug': 'acme/payments',
    'backstage.io/source-location':
      'url:https://github.com/acme/payments/tree/main/',
    'backstage.io/managed-by-location':
      'url:https://github.com/acme/intruder/blob/main/catalog-info.yaml',
  });
  const signal = new AbortController().signal;

  beforeAll(() => github.start());
  afterAll(() => github.stop());

  /** The module's sources with a new client, as after a restart. */
  function createSources(allow: string[] = []): Record<string, FindingSource> {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            { host: 'github.com', apiBaseUrl: github.baseUrl, token: 't' },
          ],
        },
      }),
    );
    const client = new GithubAlertsClient({
      integrations,
      credentialsProvider:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      sleep: async () => {},
    });
    return Object.fromEntries(
      createGithubFindingSources({
        client,
        integrations,
        kinds: ['dependabot', 'code-scanning', 'secret-scanning'],
        bindingOf: sourceId => new CollectorBinding({ sourceId, allow }),
      }).map(source => [source.id, source]),
    );
  }

  beforeEach(() => {
    github.repos.clear();
    github.requests.length = 0;
    github.queued.length = 0;
    github.pageSize = 100;
    sources = createSources();
  });

  it('adds one source per kind for entities with a project slug', () => {
    expect(Object.keys(sources)).toEqual([
      'github-dependabot',
      'github-code-scanning',
      'github-secret-scanning',
    ]);
    for (const source of Object.values(sources)) {
      expect(source.defaultFrequency).toEqual({ hours: 1 });
      expect(source.appliesTo(payments)).toBe(true);
      expect(source.appliesTo(entity({}))).toBe(false);
    }
  });

  it.each([
    'github-dependabot',
    'github-code-scanning',
    'github-secret-scanning',
  ])(
    "%s refuses a repository that is not the entity's own before any request",
    async sourceId => {
      github.setAlerts(
        'acme/payments',
        'secret-scanning',
        secretScanningAlerts(),
      );
      github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
      const state = stateOf('kept');

      await expect(
        sources[sourceId].collect(intruder, { signal, state }),
      ).rejects.toThrow(
        `Refused to collect ${sourceId} for component:default/payments: the repository github.com/acme/payments of its github.com/project-slug annotation is not in its own location (https://github.com/acme/intruder/blob/main/catalog-info.yaml) and matches no glob of securityScorecards.sources.${sourceId}.allow`,
      );
      expect(github.requests).toEqual([]);
      expect(state.value).toBeUndefined();
    },
  );

  it('collects a repository an allow glob allows', async () => {
    github.setAlerts(
      'acme/payments',
      'secret-scanning',
      secretScanningAlerts(),
    );
    const allowing = createSources(['acme/pay*']);

    const report = await allowing['github-secret-scanning'].collect(intruder, {
      signal,
      state: stateOf(),
    });

    expect(report?.findings).toHaveLength(2);
    await expect(
      createSources(['acme/ledger'])['github-secret-scanning'].collect(
        intruder,
        { signal, state: stateOf() },
      ),
    ).rejects.toThrow(/Refused/);
  });

  it('collects Dependabot alerts through the upload parser, then unchanged given the state', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(3));
    const first = stateOf();

    const report = await sources['github-dependabot'].collect(payments, {
      signal,
      state: first,
    });
    github.requests.length = 0;
    const second = stateOf(first.value);
    const again = await sources['github-dependabot'].collect(payments, {
      signal,
      state: second,
    });

    expect(report).toMatchObject({
      format: 'github-dependabot',
      scanner: 'GitHub Dependabot',
    });
    expect(report?.findings).toHaveLength(3);
    expect(report?.findings[0]).toMatchObject({
      category: 'sca',
      ruleId: 'GHSA-c2qf-rxjj-qqgw',
      status: 'open',
      location: { path: 'services/s1/package-lock.json' },
    });
    expect(again).toBeUndefined();
    expect(github.requests.map(request => request.status)).toEqual([304]);
    expect(second.value).toBe(first.value);
  });

  it('reads everything again without the state', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(3));
    const source = sources['github-dependabot'];
    await source.collect(payments, { signal, state: stateOf() });

    const again = await source.collect(payments, { signal, state: stateOf() });

    expect(again?.findings).toHaveLength(3);
    expect(github.requests.map(request => request.status)).toEqual([200, 200]);
  });

  it('answers unchanged after a restart, given the state of the last run', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(3));
    github.pageSize = 2;
    const first = stateOf();
    await sources['github-dependabot'].collect(payments, {
      signal,
      state: first,
    });
    github.requests.length = 0;

    // A new client remembers nothing: the ETags come from the state.
    const restarted = createSources();
    const again = await restarted['github-dependabot'].collect(payments, {
      signal,
      state: stateOf(first.value),
    });

    expect(again).toBeUndefined();
    expect(github.requests.map(request => request.status)).toEqual([304, 304]);
    for (const request of github.requests) {
      expect(request.headers['if-none-match']).toMatch(/^W\/"/);
    }
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['another version', '{"v":2,"url":"x","at":0,"pages":[]}'],
    ['not an object', 'null'],
    ['of another shape', '{"v":1,"url":"x","at":"yesterday","pages":[]}'],
  ])('reads everything when the state is %s', async (_what, previous) => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(3));
    const state = stateOf(previous);

    const report = await sources['github-dependabot'].collect(payments, {
      signal,
      state,
    });

    expect(report?.findings).toHaveLength(3);
    expect(github.requests.map(request => request.status)).toEqual([200]);
    expect(github.requests[0].headers['if-none-match']).toBeUndefined();
    // The state is written afresh, for the next run.
    expect(JSON.parse(state.value!)).toMatchObject({ v: 1, pages: [{}] });
  });

  it('ignores corrupt ETags in a state of the right shape', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(3));
    const first = stateOf();
    await sources['github-dependabot'].collect(payments, {
      signal,
      state: first,
    });
    const corrupt = JSON.parse(first.value!);
    corrupt.pages[0].etag = 'W/"garbage"';

    const report = await sources['github-dependabot'].collect(payments, {
      signal,
      state: stateOf(JSON.stringify(corrupt)),
    });

    expect(report?.findings).toHaveLength(3);
  });

  it('collects without a state, as from a backend that passes none', async () => {
    github.setAlerts('acme/payments', 'dependabot', dependabotAlerts(1));
    const options = { signal } as Parameters<FindingSource['collect']>[1];

    const report = await sources['github-dependabot'].collect(
      payments,
      options,
    );

    expect(report?.findings).toHaveLength(1);
  });

  it('collects code scanning alerts, and none when code scanning is off', async () => {
    github.setAlerts('acme/payments', 'code-scanning', [codeScanningAlert()]);
    const state = stateOf();
    const report = await sources['github-code-scanning'].collect(payments, {
      signal,
      state,
    });
    expect(report).toMatchObject({ format: 'github-code-scanning' });
    expect(report?.findings[0]).toMatchObject({
      ruleId: 'java/sql-injection',
      category: 'sast',
      location: {
        path: 'src/main/java/com/github/demo/service/BookService.java',
        line: 84,
      },
    });

    github.setAlerts('acme/payments', 'code-scanning', {
      status: 403,
      message:
        'Advanced Security must be enabled for this repository to use code scanning.',
    });
    const offState = stateOf(state.value);
    const off = await sources['github-code-scanning'].collect(payments, {
      signal,
      state: offState,
    });
    expect(off).toMatchObject({
      format: 'github-code-scanning',
      findings: [],
    });
    // Still off: unchanged.
    await expect(
      sources['github-code-scanning'].collect(payments, {
        signal,
        state: stateOf(offState.value),
      }),
    ).resolves.toBeUndefined();
  });

  it('collects secret scanning alerts without their secrets', async () => {
    const alerts = secretScanningAlerts();
    github.setAlerts('acme/payments', 'secret-scanning', alerts);

    const state = stateOf();
    const report = await sources['github-secret-scanning'].collect(payments, {
      signal,
      state,
    });

    expect(report?.findings.map(f => f.status)).toEqual([
      'false_positive',
      'open',
    ]);
    for (const alert of alerts) {
      expect(JSON.stringify(report)).not.toContain(alert.secret);
      // The state holds ETags only, never alerts or their secrets.
      expect(state.value).not.toContain(alert.secret);
      expect(state.value).not.toContain(alert.html_url);
    }
  });

  it('sets no state when the alerts cannot be parsed, so the next run reads them again', async () => {
    github.setAlerts('acme/payments', 'secret-scanning', [42]);
    const state = stateOf();

    await expect(
      sources['github-secret-scanning'].collect(payments, { signal, state }),
    ).rejects.toThrow(/Invalid GitHub secret scanning alerts/);
    expect(state.value).toBeUndefined();
  });

  it('fails with the repository named when it does not exist', async () => {
    await expect(
      sources['github-dependabot'].collect(payments, {
        signal,
        state: stateOf(),
      }),
    ).rejects.toThrow(/GitHub repository acme\/payments not found/);
  });
});
