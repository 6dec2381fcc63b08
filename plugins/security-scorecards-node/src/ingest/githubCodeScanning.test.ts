import { InputError } from '@backstage/errors';
import { readLazily } from './__testUtils__/lazyReading';
import {
  allJsonFixtures,
  countBy,
  errorOf,
  otherJsonFixtures,
  readFixture,
  readFixtureText,
} from './__testUtils__/parserFixtures';
import { collectReport } from './collectReport';
import {
  GITHUB_CODE_SCANNING_LAZY_PATHS,
  looksLikeGithubCodeScanning,
  parseGithubCodeScanning,
  streamGithubCodeScanning,
} from './githubCodeScanning';
import { LazyJsonArray } from './lazyJson';
import { ALL_JSON_LAZY_PATHS } from './parseReport';
import { SCRIPT_URL, URL_CREDENTIALS } from './__testUtils__/unsafeUrls';

const fixture = 'github-code-scanning/created.payload.json';

/** A REST API alert (`GET /repos/{owner}/{repo}/code-scanning/alerts`), trimmed. */
function restAlert(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    number: 4,
    html_url: 'https://github.com/octocat/hello-world/code-scanning/4',
    state: 'open',
    dismissed_reason: null,
    dismissed_comment: null,
    rule: {
      id: 'js/zipslip',
      severity: 'error',
      security_severity_level: 'critical',
      tags: ['security', 'external/cwe/cwe-022'],
      description: 'Arbitrary file write during zip extraction',
      name: 'js/zipslip',
    },
    tool: { name: 'CodeQL', guid: null, version: '2.4.0' },
    most_recent_instance: {
      ref: 'refs/heads/main',
      state: 'open',
      commit_sha: '39406e42cb832f683daa691dd652a8dc36ee8930',
      message: { text: 'This path depends on a user-provided value.' },
      location: {
        path: 'spec-main/api-session-spec.ts',
        start_line: 917,
        end_line: 917,
      },
    },
    ...overrides,
  };
}

describe('parseGithubCodeScanning', () => {
  it('reads the alert of a webhook payload', () => {
    const report = parseGithubCodeScanning(readFixture(fixture));
    expect(report.format).toBe('github-code-scanning');
    expect(report.scanner).toBe('CodeQL');
    expect(report.scannerVersion).toBeUndefined();
    expect(report.dependencies).toEqual([]);
    expect(report.findings).toHaveLength(1);
    // rule.severity "error" and no security_severity_level.
    expect(countBy(report.findings, f => f.severity)).toEqual({ high: 1 });
    expect(countBy(report.findings, f => f.category)).toEqual({ sast: 1 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 1 });
    expect(report.findings[0]).toMatchObject({
      ruleId: 'java/sql-injection',
      title: 'Query built from user-controlled sources',
      description:
        'Building a SQL or Java Persistence query from user-controlled sources is vulnerable to insertion of malicious code by the user.',
      identifiers: [],
      location: {
        path: 'src/main/java/com/github/demo/service/BookService.java',
        line: 84,
      },
      scanner: 'CodeQL',
      references: [
        'https://github.com/Codertocat/Hello-World/security/code-scanning/10',
      ],
    });
  });

  it.each([
    SCRIPT_URL,
    `https://${URL_CREDENTIALS}@github.com/octocat/hello-world/code-scanning/4`,
    'github.com/octocat/hello-world/code-scanning/4',
  ])('links no html_url %s', htmlUrl => {
    const [finding] = parseGithubCodeScanning(
      restAlert({ html_url: htmlUrl }),
    ).findings;
    expect(finding.references).toBeUndefined();
  });

  it('reads a list of REST alerts with their states', () => {
    const report = parseGithubCodeScanning([
      restAlert(),
      restAlert({ number: 5, state: 'fixed' }),
      restAlert({
        number: 6,
        state: 'dismissed',
        dismissed_reason: 'false positive',
        dismissed_comment: 'Input is validated upstream',
      }),
      restAlert({
        number: 7,
        state: 'dismissed',
        dismissed_reason: "won't fix",
      }),
      restAlert({
        number: 8,
        rule: {
          id: 'CVE-2023-1234',
          severity: 'warning',
          tags: null,
          description: 'A CVE',
        },
        tool: { name: 'Trivy', version: '0.50.0' },
      }),
    ]);
    expect(report.scanner).toBe('CodeQL, Trivy');
    expect(report.findings).toHaveLength(5);
    expect(report.findings.map(f => f.status)).toEqual([
      'open',
      'fixed',
      'false_positive',
      'waived',
      'open',
    ]);
    expect(report.findings[0]).toMatchObject({
      severity: 'critical',
      identifiers: ['CWE-22'],
      description: 'This path depends on a user-provided value.',
      location: { path: 'spec-main/api-session-spec.ts', line: 917 },
    });
    expect(report.findings[2].statusReason).toBe(
      'false positive: Input is validated upstream',
    );
    expect(report.findings[3].statusReason).toBe("won't fix");
    expect(report.findings[4]).toMatchObject({
      category: 'sca',
      severity: 'medium',
      identifiers: ['CVE-2023-1234'],
      scanner: 'Trivy',
    });
  });

  it('reads a single REST alert', () => {
    const report = parseGithubCodeScanning(restAlert());
    expect(report.scannerVersion).toBe('2.4.0');
    expect(report.findings).toHaveLength(1);
  });

  it('keeps a fingerprint when the alert moves to another line or commit', () => {
    const before = parseGithubCodeScanning(restAlert()).findings[0].fingerprint;
    const moved = restAlert({
      most_recent_instance: {
        commit_sha: 'ffffffffffffffffffffffffffffffffffffffff',
        message: { text: 'This path depends on a user-provided value.' },
        location: { path: 'spec-main/api-session-spec.ts', start_line: 950 },
      },
    });
    expect(parseGithubCodeScanning(moved).findings[0].fingerprint).toBe(before);
  });

  it('keeps alerts with the same rule, file and message apart by alert number', () => {
    const older = restAlert({ number: 4 });
    const newer = restAlert({ number: 9 });
    const both = parseGithubCodeScanning([newer, older]).findings;
    expect(both).toHaveLength(2);
    // The older alert has the fingerprint it had alone.
    expect(both[1].fingerprint).toBe(
      parseGithubCodeScanning(older).findings[0].fingerprint,
    );
    // The same alert twice is one finding.
    expect(parseGithubCodeScanning([older, older]).findings).toHaveLength(1);
  });

  it.each([
    [
      'an empty object',
      {},
      'at the top level',
      'expected a list of code scanning alerts',
    ],
    ['numbers', [1, 2], 'at [0]', 'expected an object'],
    [
      'a payload with an empty alert',
      { action: 'created', alert: {} },
      'at alert.rule',
      'expected an object',
    ],
    [
      'an alert without tool',
      [restAlert(), restAlert({ tool: null })],
      'at [1].tool',
      'expected an object',
    ],
    [
      'a rule without id or name',
      { alert: restAlert({ rule: { severity: 'error' } }) },
      'at alert.rule.id',
      'is missing',
    ],
    [
      'a single alert with a string instance',
      restAlert({ most_recent_instance: 'x' }),
      'at most_recent_instance',
      'expected an object',
    ],
    [
      'tags that are not a list',
      restAlert({ rule: { id: 'a', tags: 'security' } }),
      'at rule.tags',
      'expected an array',
    ],
  ])('rejects %s', (_name, document, place, problem) => {
    const error = errorOf(() => parseGithubCodeScanning(document));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      `Invalid github-code-scanning report ${place}: ${problem}`,
    );
  });
});

describe('streamGithubCodeScanning', () => {
  it('reads the webhook payload as parseGithubCodeScanning does', () => {
    const text = readFixtureText(fixture);
    expect(
      collectReport(
        streamGithubCodeScanning(
          readLazily(
            text,
            GITHUB_CODE_SCANNING_LAZY_PATHS,
            'github-code-scanning report',
          ),
        ),
      ),
    ).toEqual(parseGithubCodeScanning(JSON.parse(text)));
  });

  const withoutNumber = restAlert();
  delete withoutNumber.number;
  it.each([
    [
      'alerts of two tools',
      [
        restAlert(),
        restAlert({ number: 5, state: 'fixed' }),
        restAlert({
          number: 8,
          rule: { id: 'CVE-2023-1234', severity: 'warning', tags: null },
          tool: { name: 'Trivy', version: '0.50.0' },
        }),
      ],
    ],
    ['a newer and an older alert', [restAlert({ number: 9 }), restAlert()]],
    ['the same alert twice', [restAlert(), restAlert()]],
    [
      'alerts with the same content, copies and no numbers',
      [
        restAlert({ number: 9 }),
        withoutNumber,
        restAlert({ number: 4 }),
        restAlert({ number: 9, state: 'fixed' }),
        restAlert({ number: null }),
        restAlert({ number: 2, state: 'dismissed' }),
      ],
    ],
    ['an empty list', []],
  ])(
    'reads %s lazily as parseGithubCodeScanning reads them whole',
    (_name, list) => {
      const text = JSON.stringify(list);
      const lazy = readLazily(
        text,
        GITHUB_CODE_SCANNING_LAZY_PATHS,
        'github-code-scanning report',
      );
      expect(lazy).toBeInstanceOf(LazyJsonArray);
      const streamed = streamGithubCodeScanning(lazy);
      expect(collectReport(streamed)).toEqual(
        parseGithubCodeScanning(JSON.parse(text)),
      );
      // Every pass reads the alerts again, a copy of an alert included.
      expect([...streamed.findings]).toHaveLength(list.length);
      expect([...streamed.findings]).toEqual([...streamed.findings]);
    },
  );

  it('ranks alerts of the same content by number, whatever their order', () => {
    const numbers = [9, undefined, 4, 9, 2];
    const alerts = numbers.map(number => {
      const alert = restAlert({ number });
      if (number === undefined) delete alert.number;
      return alert;
    });
    const findings = [
      ...streamGithubCodeScanning(
        readLazily(
          JSON.stringify(alerts),
          GITHUB_CODE_SCANNING_LAZY_PATHS,
          'github-code-scanning report',
        ),
      ).findings,
    ];
    const fingerprintOfNumber = (number: number) =>
      findings[numbers.indexOf(number)].fingerprint;
    // 2, 4 and 9 are ranks 0 to 2, the copy of 9 keeps 2, no number is last.
    expect(fingerprintOfNumber(2)).toBe(
      parseGithubCodeScanning(restAlert({ number: 2 })).findings[0].fingerprint,
    );
    expect(findings[3].fingerprint).toBe(findings[0].fingerprint);
    expect(new Set(findings.map(finding => finding.fingerprint)).size).toBe(4);
    expect(collectReport(streamGithubCodeScanning(alerts)).findings).toEqual([
      findings[0],
      findings[1],
      findings[2],
      findings[4],
    ]);
  });

  it('reads the alerts as they are iterated, failing at a malformed one', () => {
    const text = `[${JSON.stringify(restAlert())},{"rule": nope}]`;
    const report = streamGithubCodeScanning(
      readLazily(
        text,
        GITHUB_CODE_SCANNING_LAZY_PATHS,
        'github-code-scanning report',
      ),
    );
    expect(report.scanner).toBe('CodeQL');

    const findings = report.findings[Symbol.iterator]();
    expect(findings.next().value).toMatchObject({ ruleId: 'js/zipslip' });
    const error = errorOf(() => findings.next());
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'Invalid github-code-scanning report: malformed JSON at the top level[1]',
    );
  });

  it('names the place of a wrong alert of a lazy list when it is reached', () => {
    const report = streamGithubCodeScanning(
      readLazily(
        JSON.stringify([restAlert(), restAlert({ tool: null })]),
        GITHUB_CODE_SCANNING_LAZY_PATHS,
        'github-code-scanning report',
      ),
    );
    expect(() => [...report.findings]).toThrow(
      'Invalid github-code-scanning report at [1].tool: expected an object',
    );
  });

  it('checks the shape of the document at once', () => {
    expect(() =>
      streamGithubCodeScanning(
        readLazily(
          '{}',
          GITHUB_CODE_SCANNING_LAZY_PATHS,
          'github-code-scanning report',
        ),
      ),
    ).toThrow(
      'Invalid github-code-scanning report at the top level: expected a list',
    );
  });
});

describe('looksLikeGithubCodeScanning', () => {
  it('recognises a webhook payload, a list and a single alert', () => {
    expect(looksLikeGithubCodeScanning(readFixture(fixture))).toBe(true);
    expect(looksLikeGithubCodeScanning([restAlert()])).toBe(true);
    expect(looksLikeGithubCodeScanning(restAlert())).toBe(true);
    expect(looksLikeGithubCodeScanning([])).toBe(false);
  });

  it("recognises them read with every format's lazy lists", () => {
    const lazyList = readLazily(
      JSON.stringify([restAlert(), restAlert({ number: 5 })]),
      ALL_JSON_LAZY_PATHS,
      'github-code-scanning report',
    );
    expect(lazyList).toBeInstanceOf(LazyJsonArray);
    expect(looksLikeGithubCodeScanning(lazyList)).toBe(true);
    expect(
      looksLikeGithubCodeScanning(
        readLazily(
          readFixtureText(fixture),
          ALL_JSON_LAZY_PATHS,
          'github-code-scanning report',
        ),
      ),
    ).toBe(true);
    expect(
      looksLikeGithubCodeScanning(
        readLazily(
          JSON.stringify(restAlert()),
          ALL_JSON_LAZY_PATHS,
          'github-code-scanning report',
        ),
      ),
    ).toBe(true);
    expect(
      looksLikeGithubCodeScanning(
        readLazily('[]', ALL_JSON_LAZY_PATHS, 'github-code-scanning report'),
      ),
    ).toBe(false);
  });

  it.each(allJsonFixtures())(
    "detects %s/%s read with every format's lazy lists only when it holds code scanning alerts",
    (folder, file) => {
      const lazy = readLazily(
        readFixtureText(folder, file),
        ALL_JSON_LAZY_PATHS,
        'github-code-scanning report',
      );
      expect(looksLikeGithubCodeScanning(lazy)).toBe(
        folder === 'github-code-scanning',
      );
    },
  );

  it('does not claim a lazy list of Dependabot alerts', () => {
    const { alert } = readFixture('github-dependabot/created.payload.json') as {
      alert: unknown;
    };
    const lazy = readLazily(
      JSON.stringify([alert]),
      ALL_JSON_LAZY_PATHS,
      'github-code-scanning report',
    );
    expect(lazy).toBeInstanceOf(LazyJsonArray);
    expect(looksLikeGithubCodeScanning(lazy)).toBe(false);
  });

  it.each(otherJsonFixtures([fixture]))(
    'does not claim %s',
    (_name, document) => {
      expect(looksLikeGithubCodeScanning(document)).toBe(false);
    },
  );
});
