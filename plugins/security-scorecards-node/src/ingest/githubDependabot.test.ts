import { InputError } from '@backstage/errors';
import { readLazily } from './__testUtils__/lazyReading';
import {
  allJsonFixtures,
  countBy,
  errorOf,
  readFixture,
  readFixtureText,
} from './__testUtils__/parserFixtures';
import { collectReport } from './collectReport';
import {
  GITHUB_DEPENDABOT_LAZY_PATHS,
  looksLikeGithubDependabot,
  parseGithubDependabot,
  streamGithubDependabot,
} from './githubDependabot';
import { LazyJsonArray } from './lazyJson';
import { ALL_JSON_LAZY_PATHS } from './parseReport';
import { SCRIPT_URL } from './__testUtils__/unsafeUrls';

interface AlertJson {
  [key: string]: unknown;
  security_advisory: Record<string, unknown>;
  dependency: Record<string, unknown>;
}

function payload(): { action: string; alert: AlertJson } {
  return readFixture('github-dependabot/created.payload.json') as {
    action: string;
    alert: AlertJson;
  };
}

/** Two alerts of the fixture's advisory, in two manifests. */
function twoAlerts(): AlertJson[] {
  const alert = payload().alert;
  return [
    alert,
    {
      ...alert,
      number: 22,
      state: 'dismissed',
      dismissed_reason: 'not_used',
      dependency: {
        ...alert.dependency,
        manifest_path: 'web/package-lock.json',
      },
    },
  ];
}

describe('parseGithubDependabot', () => {
  describe('created.payload.json', () => {
    const report = parseGithubDependabot(payload());

    it('reads the alert of the webhook payload', () => {
      expect(report.format).toBe('github-dependabot');
      expect(report.scanner).toBe('GitHub Dependabot');
      expect(report.findings).toHaveLength(1);
      expect(report.dependencies).toHaveLength(0);
      expect(countBy(report.findings, 'severity')).toEqual({ medium: 1 });
      expect(countBy(report.findings, 'category')).toEqual({ sca: 1 });
      expect(countBy(report.findings, 'status')).toEqual({ open: 1 });
    });

    it('reads the advisory, package and manifest', () => {
      const [finding] = report.findings;
      expect(finding.ruleId).toBe('GHSA-c2qf-rxjj-qqgw');
      expect(finding.title).toBe(
        'semver vulnerable to Regular Expression Denial of Service',
      );
      expect(finding.description).toMatch(
        /^Versions of the package semver before 7\.5\.2 are vulnerable .*as a range\.$/,
      );
      expect(finding.identifiers).toEqual([
        'GHSA-c2qf-rxjj-qqgw',
        'CVE-2022-25883',
        'CWE-1333',
      ]);
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 5.3,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
      });
      expect(finding.package).toEqual({
        name: 'semver',
        ecosystem: 'npm',
        fixedVersions: ['7.5.2'],
      });
      expect(finding.location).toEqual({ path: 'package-lock.json' });
      expect(finding.references?.[0]).toBe(
        'https://github.com/wolfy1339/pika-pack/security/dependabot/20',
      );
      expect(finding.references).toContain(
        'https://github.com/advisories/GHSA-c2qf-rxjj-qqgw',
      );
      expect(finding.references).toHaveLength(9);
      expect(finding.epss).toBeUndefined();
    });
  });

  it('reads the same alert as a REST object and in a list', () => {
    const alert = payload().alert;
    const fromPayload = parseGithubDependabot(payload()).findings;
    expect(parseGithubDependabot(alert).findings).toEqual(fromPayload);
    expect(parseGithubDependabot([alert]).findings).toEqual(fromPayload);
    expect(parseGithubDependabot([]).findings).toEqual([]);
  });

  describe('states', () => {
    function withState(changes: Record<string, unknown>): AlertJson {
      return { ...payload().alert, ...changes };
    }

    it.each([
      [
        { state: 'fixed', fixed_at: '2023-07-01T00:00:00Z' },
        'fixed',
        undefined,
      ],
      [
        {
          state: 'dismissed',
          dismissed_reason: 'tolerable_risk',
          dismissed_comment: 'Only in tests',
        },
        'waived',
        'tolerable_risk: Only in tests',
      ],
      [
        { state: 'dismissed', dismissed_reason: 'false positive' },
        'false_positive',
        'false positive',
      ],
      [
        { state: 'dismissed', dismissed_reason: 'inaccurate' },
        'false_positive',
        'inaccurate',
      ],
      [
        { state: 'dismissed', dismissed_reason: 'not_used' },
        'not_affected',
        'not_used',
      ],
      [{ state: 'auto_dismissed' }, 'waived', 'auto_dismissed'],
      [{ state: 'open' }, 'open', undefined],
    ])('maps %j to %s', (changes, status, statusReason) => {
      const [finding] = parseGithubDependabot(withState(changes)).findings;
      expect(finding.status).toBe(status);
      expect(finding.statusReason).toBe(statusReason);
    });

    it('keeps the fingerprint when the alert is dismissed later', () => {
      const open = parseGithubDependabot(payload()).findings[0];
      const dismissed = parseGithubDependabot(
        withState({
          state: 'dismissed',
          dismissed_reason: 'no_bandwidth',
          number: 21,
        }),
      ).findings[0];
      expect(dismissed.fingerprint).toBe(open.fingerprint);
    });

    it('gives the same advisory in another manifest another fingerprint', () => {
      const alert = payload().alert;
      const other = {
        ...alert,
        number: 22,
        dependency: {
          ...alert.dependency,
          manifest_path: 'web/package-lock.json',
        },
      };
      const report = parseGithubDependabot([alert, other]);
      expect(report.findings).toHaveLength(2);
      expect(report.findings[1].location).toEqual({
        path: 'web/package-lock.json',
      });
    });
  });

  it('prefers CVSS 4.0 and reads EPSS of newer alerts', () => {
    const alert = payload().alert;
    alert.security_advisory = {
      ...alert.security_advisory,
      severity: 'high',
      cvss: { vector_string: null, score: null },
      cvss_severities: {
        cvss_v3: {
          vector_string: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
          score: 7.5,
        },
        cvss_v4: {
          vector_string:
            'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
          score: 8.7,
        },
      },
      epss: [{ percentage: 0.00045, percentile: '0.16001e0' }],
    };
    const [finding] = parseGithubDependabot(alert).findings;
    expect(finding.severity).toBe('high');
    expect(finding.cvss).toEqual({
      version: '4.0',
      score: 8.7,
      vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
    });
    expect(finding.epss).toBe(0.00045);
  });

  it('names the ecosystem like the other formats do', () => {
    const alert = payload().alert;
    alert.dependency = {
      ...alert.dependency,
      package: { ecosystem: 'pip', name: 'django' },
      manifest_path: 'requirements.txt',
    };
    const [finding] = parseGithubDependabot(alert).findings;
    expect(finding.package?.ecosystem).toBe('pypi');
    expect(finding.package?.name).toBe('django');
    expect(finding.location).toEqual({ path: 'requirements.txt' });
  });

  it.each(['constructor', '__proto__', 'toString', 'valueOf'])(
    'keeps an ecosystem and a severity named %s as unknown values',
    name => {
      const alert = payload().alert;
      alert.dependency = {
        ...alert.dependency,
        package: { ecosystem: name, name: 'left-pad' },
      };
      alert.security_advisory = {
        ...alert.security_advisory,
        severity: name,
        cvss: undefined,
        cvss_severities: undefined,
      };
      alert.security_vulnerability = {
        ...(alert.security_vulnerability as object),
        severity: name,
      };
      const [finding] = parseGithubDependabot(alert).findings;
      expect(finding.package?.ecosystem).toBe(name.toLowerCase());
      expect(finding.severity).toBe('info');
    },
  );

  it('keeps only http and https links without credentials', () => {
    const alert = payload().alert;
    alert.html_url = SCRIPT_URL;
    alert.security_advisory = {
      ...alert.security_advisory,
      references: [
        { url: 'https://github.com/advisories/GHSA-xxxx-xxxx-xxxx' },
        { url: 'data:text/html,<script>alert(1)</script>' },
        { url: 'https://token@github.com/acme/app' },
        { url: 'file:///etc/passwd' },
      ],
    };
    expect(parseGithubDependabot(alert).findings[0].references).toEqual([
      'https://github.com/advisories/GHSA-xxxx-xxxx-xxxx',
    ]);
  });

  it('ignores the empty CVSS 4.0 rating GitHub writes for advisories without one', () => {
    const alert = payload().alert;
    alert.security_advisory = {
      ...alert.security_advisory,
      cvss_severities: {
        cvss_v3: {
          vector_string: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
          score: 5.3,
        },
        cvss_v4: { vector_string: null, score: 0 },
      },
    };
    expect(parseGithubDependabot(alert).findings[0].cvss?.version).toBe('3.1');
  });

  describe('wrong shapes', () => {
    it.each([
      [{}, '(root)'],
      ['alerts', '(root)'],
      [[1, 2], '[0]'],
      [
        {
          action: 'created',
          alert: { rule: { id: 'js/xss' }, tool: { name: 'CodeQL' } },
        },
        'alert.security_advisory',
      ],
      [
        { security_advisory: {}, dependency: { package: { name: 'a' } } },
        'security_advisory.ghsa_id',
      ],
      [
        [{ security_advisory: { ghsa_id: 'GHSA-aaaa-bbbb-cccc' } }],
        '[0].security_vulnerability.package',
      ],
      [
        [
          {
            security_advisory: { ghsa_id: 'GHSA-aaaa-bbbb-cccc' },
            dependency: { package: { ecosystem: 'npm' } },
          },
        ],
        '[0].dependency.package.name',
      ],
      [
        {
          action: 'created',
          alert: {
            security_advisory: {
              ghsa_id: 'GHSA-aaaa-bbbb-cccc',
              references: 'x',
            },
            dependency: { package: { name: 'a' } },
          },
        },
        'alert.security_advisory.references',
      ],
    ])('rejects %j naming %s', (document, place) => {
      expect(() => parseGithubDependabot(document)).toThrow(InputError);
      expect(() => parseGithubDependabot(document)).toThrow(
        `Invalid github-dependabot report at ${place}:`,
      );
    });
  });
});

describe('streamGithubDependabot', () => {
  it('reads the webhook payload as parseGithubDependabot does', () => {
    const text = readFixtureText('github-dependabot/created.payload.json');
    expect(
      collectReport(
        streamGithubDependabot(
          readLazily(
            text,
            GITHUB_DEPENDABOT_LAZY_PATHS,
            'github-dependabot report',
          ),
        ),
      ),
    ).toEqual(parseGithubDependabot(JSON.parse(text)));
  });

  it.each([
    ['a list of alerts', twoAlerts()],
    ['the same alert twice', [payload().alert, payload().alert]],
    ['an empty list', []],
  ])(
    'reads %s lazily as parseGithubDependabot reads it whole',
    (_name, list) => {
      const text = JSON.stringify(list);
      const lazy = readLazily(
        text,
        GITHUB_DEPENDABOT_LAZY_PATHS,
        'github-dependabot report',
      );
      expect(lazy).toBeInstanceOf(LazyJsonArray);
      const streamed = streamGithubDependabot(lazy);
      expect(collectReport(streamed)).toEqual(
        parseGithubDependabot(JSON.parse(text)),
      );
      // Every pass reads the alerts again, a repeated alert included.
      expect([...streamed.findings]).toHaveLength(list.length);
      expect([...streamed.findings]).toEqual([...streamed.findings]);
    },
  );

  it('reads the alerts as they are iterated, failing at a malformed one', () => {
    const text = `[${JSON.stringify(
      payload().alert,
    )},{"security_advisory": nope}]`;
    const report = streamGithubDependabot(
      readLazily(
        text,
        GITHUB_DEPENDABOT_LAZY_PATHS,
        'github-dependabot report',
      ),
    );
    expect(report.scanner).toBe('GitHub Dependabot');

    const findings = report.findings[Symbol.iterator]();
    expect(findings.next().value).toMatchObject({
      ruleId: 'GHSA-c2qf-rxjj-qqgw',
    });
    const error = errorOf(() => findings.next());
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'Invalid github-dependabot report: malformed JSON at the top level[1]',
    );
  });

  it('names the place of a wrong alert of a lazy list when it is reached', () => {
    const report = streamGithubDependabot(
      readLazily(
        '[1, 2]',
        GITHUB_DEPENDABOT_LAZY_PATHS,
        'github-dependabot report',
      ),
    );
    expect(() => [...report.findings]).toThrow(
      'Invalid github-dependabot report at [0]: expected an object',
    );
  });
});

describe('looksLikeGithubDependabot', () => {
  it.each([
    ['a list of alerts', JSON.stringify(twoAlerts())],
    [
      'the webhook payload',
      readFixtureText('github-dependabot/created.payload.json'),
    ],
  ])("detects %s read with every format's lazy lists", (_name, text) => {
    expect(
      looksLikeGithubDependabot(
        readLazily(text, ALL_JSON_LAZY_PATHS, 'github-dependabot report'),
      ),
    ).toBe(true);
  });

  it.each(allJsonFixtures())(
    "detects %s/%s read with every format's lazy lists only when it is a Dependabot alert or payload",
    (folder, file) => {
      const lazy = readLazily(
        readFixtureText(folder, file),
        ALL_JSON_LAZY_PATHS,
        'github-dependabot report',
      );
      expect(looksLikeGithubDependabot(lazy)).toBe(
        folder === 'github-dependabot',
      );
    },
  );

  it('does not claim a lazy list of code scanning alerts', () => {
    const { alert } = readFixture(
      'github-code-scanning/created.payload.json',
    ) as { alert: unknown };
    const lazy = readLazily(
      JSON.stringify([alert]),
      ALL_JSON_LAZY_PATHS,
      'github-dependabot report',
    );
    expect(lazy).toBeInstanceOf(LazyJsonArray);
    expect(looksLikeGithubDependabot(lazy)).toBe(false);
    expect(
      looksLikeGithubDependabot(
        readLazily(
          '[]',
          GITHUB_DEPENDABOT_LAZY_PATHS,
          'github-dependabot report',
        ),
      ),
    ).toBe(false);
  });

  it.each(allJsonFixtures())(
    'detects %s/%s only when it is a Dependabot alert or payload',
    (folder, _file, document) => {
      expect(looksLikeGithubDependabot(document)).toBe(
        folder === 'github-dependabot',
      );
    },
  );

  it('detects a REST alert and a list of them', () => {
    const alert = payload().alert;
    expect(looksLikeGithubDependabot(alert)).toBe(true);
    expect(looksLikeGithubDependabot([alert])).toBe(true);
  });

  it.each([[null], [[]], [{}], [{ action: 'created', alert: {} }]])(
    'rejects %j',
    document => {
      expect(looksLikeGithubDependabot(document)).toBe(false);
    },
  );
});
