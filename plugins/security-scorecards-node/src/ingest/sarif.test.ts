import { InputError } from '@backstage/errors';
import {
  countBy,
  errorOf,
  otherJsonFixtures,
  readFixture,
} from './__testUtils__/parserFixtures';
import { FailedScanError } from './failedScan';
import { createSecretHasher, sha256Hex } from './normalize';
import { looksLikeSarif, parseSarif, streamSarif } from './sarif';
import { SCRIPT_URL, URL_CREDENTIALS } from './__testUtils__/unsafeUrls';

const sarifFixtures = [
  'sarif/valid-sarif.sarif',
  'sarif/Suppressions.sarif',
  'sarif/megalinter-report.sarif',
  'sarif/alpine-310.sarif.golden',
  'sarif/issue_10191.json',
  'sarif/no_runs.sarif',
  'gitleaks/sarif_simple.sarif',
];

describe('parseSarif', () => {
  it('reads a two-run CodeQL log with ruleIndex and partialFingerprints', () => {
    const report = parseSarif(readFixture('sarif/valid-sarif.sarif'));
    expect(report.format).toBe('sarif');
    // Both runs have results, so both tool names are named.
    expect(report.scanner).toBe('LGTM.com, CodeQL command-line toolchain');
    expect(report.scannerVersion).toBeUndefined();
    expect(report.dependencies).toEqual([]);
    expect(report.findings).toHaveLength(3);
    // No level on any result: the rules' defaultConfiguration.level "note" applies.
    expect(countBy(report.findings, f => f.severity)).toEqual({ low: 3 });
    expect(countBy(report.findings, f => f.category)).toEqual({ sast: 3 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 3 });

    const [lgtm, codeql, newRule] = report.findings;
    expect(lgtm).toMatchObject({
      ruleId: 'js/unused-local-variable',
      title: 'Unused variable, import, function or class',
      scanner: 'LGTM.com',
      location: { path: 'main.js', line: 2 },
      identifiers: [],
    });
    expect(lgtm.description).toContain('Unused variable foo.');
    // Same partial fingerprints but another tool: two findings.
    expect(codeql.scanner).toBe('CodeQL command-line toolchain');
    expect(codeql.fingerprint).not.toBe(lgtm.fingerprint);
    expect(newRule).toMatchObject({
      ruleId: 'js/inconsistent-use-of-new',
      title: "Inconsistent use of 'new'",
      location: { path: 'src/promiseUtils.js', line: 2 },
    });
  });

  it('waives results with accepted or status-less suppressions only', () => {
    const report = parseSarif(readFixture('sarif/Suppressions.sarif'));
    expect(report.scanner).toBe('SarifSamples');
    expect(report.scannerVersion).toBe('1.0');
    expect(report.findings).toHaveLength(9);
    // Results 2, 3, 5, 7, 8 have an accepted or unqualified suppression.
    expect(countBy(report.findings, f => f.status)).toEqual({
      open: 4,
      waived: 5,
    });
    expect(report.findings.map(f => f.status)).toEqual([
      'open',
      'waived',
      'waived',
      'open',
      'waived',
      'open',
      'waived',
      'waived',
      'open',
    ]);
    // Neither a level nor a rule: "warning".
    expect(countBy(report.findings, f => f.severity)).toEqual({ medium: 9 });
    expect(countBy(report.findings, f => f.category)).toEqual({ sast: 9 });
    expect(report.findings[0]).toMatchObject({
      ruleId: 'TUT1001',
      title: 'This result is visible because it is not suppressed.',
    });
    expect(report.findings[0].location).toBeUndefined();
  });

  it('keeps repeated messages in one file apart and ignores empty secret-tool runs', () => {
    const report = parseSarif(readFixture('sarif/megalinter-report.sarif'));
    // Only the Checkstyle run has results; gitleaks and secretlint have none.
    expect(report.scanner).toBe('Checkstyle (MegaLinter JAVA_CHECKSTYLE)');
    expect(report.scannerVersion).toBe('10.3.2');
    expect(report.findings).toHaveLength(5);
    expect(countBy(report.findings, f => f.severity)).toEqual({ high: 5 });
    expect(countBy(report.findings, f => f.category)).toEqual({ sast: 5 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 5 });
    expect(countBy(report.findings, f => f.ruleId)).toEqual({
      'import.unused': 1,
      'javadoc.missing': 4,
    });
    const path0 =
      'src/main/java/se/janderssonse/sarifconvert/cli/sonar/dto/TextRange.java';
    expect(report.findings[0]).toMatchObject({
      ruleId: 'import.unused',
      title: 'Unused import - java.util.Optional.',
      location: { path: path0, line: 18 },
    });
    expect(report.findings.slice(1).map(f => f.location?.line)).toEqual([
      27, 28, 29, 30,
    ]);
  });

  it('reads Trivy vulnerabilities of an alpine image as container findings with packages', () => {
    const report = parseSarif(readFixture('sarif/alpine-310.sarif.golden'));
    expect(report.scanner).toBe('Trivy');
    expect(report.scannerVersion).toBe('dev');
    expect(report.findings).toHaveLength(4);
    // security-severity "5.3" on both rules.
    expect(countBy(report.findings, f => f.severity)).toEqual({ medium: 4 });
    expect(countBy(report.findings, f => f.category)).toEqual({ container: 4 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 4 });
    expect(report.findings.map(f => `${f.ruleId} ${f.package?.name}`)).toEqual([
      'CVE-2019-1549 libcrypto1.1',
      'CVE-2019-1551 libcrypto1.1',
      'CVE-2019-1549 libssl1.1',
      'CVE-2019-1551 libssl1.1',
    ]);
    expect(report.findings[1]).toMatchObject({
      ruleId: 'CVE-2019-1551',
      title:
        'openssl: Integer overflow in RSAZ modular exponentiation on x86_64',
      identifiers: ['CVE-2019-1551'],
      cvss: {
        version: '3.1',
        score: 5.3,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
      },
      package: {
        name: 'libcrypto1.1',
        version: '1.1.1c-r0',
        fixedVersions: ['1.1.1d-r2'],
      },
      location: { path: 'testdata/fixtures/images/alpine-310.tar.gz', line: 1 },
      references: ['https://avd.aquasec.com/nvd/cve-2019-1551'],
    });
    expect(report.findings[2].package).toEqual({
      name: 'libssl1.1',
      version: '1.1.1c-r0',
      fixedVersions: ['1.1.1d-r0'],
    });
    expect(report.findings[0].description).toContain(
      'OpenSSL 1.1.1 introduced',
    );
  });

  it('maps Semgrep security-severity labels and CWE tags', () => {
    const report = parseSarif(readFixture('sarif/issue_10191.json'));
    expect(report.scanner).toBe('Semgrep OSS');
    expect(report.scannerVersion).toBe('1.69.0');
    expect(report.findings).toHaveLength(77);
    expect(countBy(report.findings, f => f.severity)).toEqual({
      medium: 42,
      critical: 34,
      high: 1,
    });
    expect(countBy(report.findings, f => f.category)).toEqual({ sast: 77 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 77 });
    const first = report.findings[0];
    expect(first).toMatchObject({
      ruleId:
        'vulnerability-management-registry.semgrep-rules.gitlab-rules.sast-rules.javascript.pathtraversal.javascript_pathtraversal_rule-non-literal-fs-filename',
      title:
        "Improper limitation of a pathname to a restricted directory ('Path Traversal')",
      severity: 'medium',
      identifiers: ['CWE-22'],
      location: { path: 'Gruntfile.js', line: 75 },
    });
    expect(report.findings[40]).toMatchObject({
      severity: 'critical',
      identifiers: ['CWE-943'],
      location: { path: 'routes/deluxe.ts', line: 19 },
    });
    expect(report.findings[76]).toMatchObject({
      identifiers: ['CWE-346'],
      title: 'Origin validation error',
      location: { path: 'server.ts', line: 164 },
    });
    for (const finding of report.findings) {
      expect(finding.description!.length).toBeLessThanOrEqual(4000);
    }
  });

  it('accepts a log without runs', () => {
    const report = parseSarif(readFixture('sarif/no_runs.sarif'));
    expect(report).toEqual({
      format: 'sarif',
      scanner: 'SARIF',
      findings: [],
      dependencies: [],
    });
  });

  it('reads gitleaks SARIF as a secret without keeping the secret', () => {
    const document = readFixture('gitleaks/sarif_simple.sarif');
    const report = parseSarif(document);
    expect(report.scanner).toBe('gitleaks');
    expect(report.scannerVersion).toBe('v8.0.0');
    expect(report.findings).toHaveLength(1);
    expect(countBy(report.findings, f => f.severity)).toEqual({ medium: 1 });
    expect(countBy(report.findings, f => f.category)).toEqual({ secret: 1 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 1 });
    expect(report.findings[0]).toMatchObject({
      ruleId: 'test-rule',
      title:
        'test-rule has detected secret for file auth.py at commit 0000000000000000.',
      location: { path: 'auth.py', line: 1 },
      secret: { redacted: '********', sha256: sha256Hex('a secret') },
    });
    expect(JSON.stringify(report)).not.toContain('a secret');
  });

  it('scrubs a secret snippet from the message of a secret tool', () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const report = parseSarif({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'detect-secrets' } },
          results: [
            {
              ruleId: 'GitHubTokenDetector',
              message: { text: `Found token ${secret} in config` },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: 'config.yml' },
                    region: { startLine: 4, snippet: { text: secret } },
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(report.findings[0].category).toBe('secret');
    expect(report.findings[0].title).toBe(
      'Found token ghp_**************** in config',
    );
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  it('finds rules of tool extensions, numeric security-severity and external/cwe tags', () => {
    const report = parseSarif({
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: { name: 'CodeQL', semanticVersion: '2.17.0', rules: [] },
            extensions: [
              {
                name: 'codeql/javascript-queries',
                rules: [
                  { id: 'js/unused', shortDescription: { text: 'Unused' } },
                  {
                    id: 'js/xss',
                    shortDescription: {
                      text: 'Client-side <b>cross-site</b> scripting',
                    },
                    fullDescription: {
                      text: 'Writing <code>List<String></code> input is risky.',
                    },
                    defaultConfiguration: { level: 'error' },
                    properties: {
                      'security-severity': '9.1',
                      tags: [
                        'security',
                        'external/cwe/cwe-079',
                        'external/cwe/cwe-116',
                      ],
                    },
                  },
                ],
              },
            ],
          },
          results: [
            {
              rule: { id: 'js/xss', index: 1, toolComponent: { index: 0 } },
              message: {
                text: 'Cross-site scripting from {0}.',
                arguments: ['a user value'],
              },
              suppressions: [
                {
                  kind: 'external',
                  status: 'accepted',
                  justification: 'Escaped later',
                },
              ],
            },
            { ruleId: 'js/unused', level: 'none', message: { text: 'x' } },
            { ruleId: 'js/unused', kind: 'pass', message: { text: 'y' } },
          ],
        },
      ],
    });
    expect(report.scannerVersion).toBe('2.17.0');
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'js/xss',
      title: 'Client-side cross-site scripting',
      description:
        'Cross-site scripting from a user value.\n\nWriting List<String> input is risky.',
      severity: 'critical',
      identifiers: ['CWE-79', 'CWE-116'],
      status: 'waived',
      statusReason: 'Escaped later',
    });
    expect(report.findings[1]).toMatchObject({
      ruleId: 'js/unused',
      severity: 'info',
    });
  });

  it('keeps a fingerprint when the finding moves to another line', () => {
    const document = readFixture('sarif/megalinter-report.sarif') as {
      runs: Array<{
        results: Array<{
          locations: Array<{
            physicalLocation: { region: { startLine: number } };
          }>;
        }>;
      }>;
    };
    const before = parseSarif(document).findings.map(f => f.fingerprint);
    for (const result of document.runs[0].results) {
      result.locations[0].physicalLocation.region.startLine += 7;
    }
    const after = parseSarif(document);
    expect(after.findings.map(f => f.fingerprint)).toEqual(before);
    expect(after.findings[0].location?.line).toBe(25);

    const codeql = readFixture('sarif/valid-sarif.sarif') as typeof document;
    const codeqlBefore = parseSarif(codeql).findings.map(f => f.fingerprint);
    codeql.runs[1].results[1].locations[0].physicalLocation.region.startLine = 40;
    expect(parseSarif(codeql).findings.map(f => f.fingerprint)).toEqual(
      codeqlBefore,
    );
  });

  it('treats the very same result listed twice as one finding', () => {
    const result = {
      ruleId: 'R1',
      message: { text: 'same' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'a.c' },
            region: { startLine: 3 },
          },
        },
      ],
    };
    const report = parseSarif({
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'cppcheck' } }, results: [result, result] },
      ],
    });
    expect(report.findings).toHaveLength(1);
  });

  it('rejects other SARIF versions by name', () => {
    const unsupported = errorOf(() => parseSarif({ version: '2.2', runs: [] }));
    expect(unsupported).toBeInstanceOf(InputError);
    expect((unsupported as Error).message).toBe(
      'Invalid sarif report at version: SARIF version "2.2" is not supported, only 2.1.0',
    );
    const missing = errorOf(() => parseSarif({ runs: [] }));
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as Error).message).toContain(
      'Invalid sarif report at version: is missing',
    );
    expect(
      parseSarif({
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        runs: [],
      }).findings,
    ).toEqual([]);
  });

  it.each([
    ['an array', [1, 2], 'at the top level', 'expected an object'],
    ['an object without runs', { version: '2.1.0' }, 'at runs', 'is missing'],
    [
      'runs that is not an array',
      { version: '2.1.0', runs: {} },
      'at runs',
      'expected an array',
    ],
    [
      'a run without tool',
      { version: '2.1.0', runs: [{}] },
      'at runs[0].tool',
      'expected an object',
    ],
    [
      'a driver without name',
      { version: '2.1.0', runs: [{ tool: { driver: {} } }] },
      'at runs[0].tool.driver.name',
      'is missing',
    ],
    [
      'a rule without id',
      {
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x', rules: [{}] } } }],
      },
      'at runs[0].tool.driver.rules[0].id',
      'is missing',
    ],
    [
      'a result that is not an object',
      {
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: ['oops'] }],
      },
      'at runs[0].results[0]',
      'expected an object',
    ],
    [
      'a result without rule id',
      {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [{ ruleId: 'a' }, { message: { text: 'm' } }],
          },
        ],
      },
      'at runs[0].results[1].ruleId',
      'is missing',
    ],
    [
      'a numeric rule id',
      {
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 7 }] }],
      },
      'at runs[0].results[0].ruleId',
      'expected a string',
    ],
    [
      'a ruleIndex past the rules',
      {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x', rules: [{ id: 'a' }] } },
            results: [{ ruleIndex: 3 }],
          },
        ],
      },
      'at runs[0].results[0].ruleIndex',
      'points past the 1 rules',
    ],
    [
      'a message that is a string',
      {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [{ ruleId: 'a', message: 'text' }],
          },
        ],
      },
      'at runs[0].results[0].message',
      'expected an object',
    ],
    [
      'locations that is an object',
      {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [{ ruleId: 'a', locations: {} }],
          },
        ],
      },
      'at runs[0].results[0].locations',
      'expected an array',
    ],
  ])('rejects %s', (_name, document, place, problem) => {
    const error = errorOf(() => parseSarif(document));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      `Invalid sarif report ${place}: ${problem}`,
    );
  });
});

/** A SARIF log of one run of a tool, with the given run fields. */
function logOf(run: Record<string, unknown>, toolName = 'CodeScanner') {
  return {
    version: '2.1.0',
    runs: [{ tool: { driver: { name: toolName } }, ...run }],
  };
}

describe('failed runs', () => {
  it('refuses a run whose invocation failed, with the tool and its reason', () => {
    // SARIF tutorials' "Catastrophic execution error" sample.
    const document = logOf({
      invocations: [
        {
          toolExecutionNotifications: [
            { message: { text: 'Out of memory.' }, level: 'error' },
          ],
          executionSuccessful: false,
        },
      ],
    });
    // Before any finding is read: streaming must not start on a failed run.
    const error = errorOf(() => streamSarif(document));
    expect(error).toBeInstanceOf(FailedScanError);
    expect(error).toMatchObject({
      name: 'FailedScanError',
      reason: 'Out of memory.',
      tool: 'CodeScanner',
    });
    expect((error as Error).message).toBe(
      'The sarif report says that CodeScanner failed (runs[0].invocations[0].executionSuccessful is false): Out of memory.',
    );
  });

  it('refuses a failed invocation even when the run lists results', () => {
    const error = errorOf(() =>
      parseSarif(
        logOf({
          invocations: [{ executionSuccessful: false }],
          results: [{ ruleId: 'a', message: { text: 'partial' } }],
        }),
      ),
    );
    expect(error).toBeInstanceOf(FailedScanError);
    expect((error as FailedScanError).reason).toBeUndefined();
  });

  it.each([
    [
      'a configuration error',
      {
        toolConfigurationNotifications: [
          {
            message: { text: "Ruleset 'no-such-ruleset.xml' does not exist." },
            level: 'error',
          },
        ],
      },
      "Ruleset 'no-such-ruleset.xml' does not exist.",
    ],
    [
      'an error after a warning',
      {
        toolExecutionNotifications: [
          { message: { text: 'Skipped a.c' }, level: 'warning' },
          { message: { text: 'Crashed\n  in b.c' }, level: 'error' },
        ],
      },
      'Crashed in b.c',
    ],
    [
      'a warning only',
      {
        toolExecutionNotifications: [{ message: { text: 'Timed out' } }],
      },
      'Timed out',
    ],
    [
      'an exit code description',
      { exitCode: 2, exitCodeDescription: 'Invalid arguments' },
      'Invalid arguments',
    ],
    ['a signal', { exitSignalName: 'SIGKILL' }, 'SIGKILL'],
    ['an exit code', { exitCode: 137 }, 'exit code 137'],
  ])('takes the reason from %s', (_name, invocation, reason) => {
    const error = errorOf(() =>
      parseSarif(
        logOf({
          invocations: [{ ...invocation, executionSuccessful: false }],
          results: [],
        }),
      ),
    );
    expect(error).toBeInstanceOf(FailedScanError);
    expect((error as FailedScanError).reason).toBe(reason);
  });

  it('bounds a long reason', () => {
    const error = errorOf(() =>
      parseSarif(
        logOf({
          invocations: [
            {
              executionSuccessful: false,
              exitCodeDescription: 'x'.repeat(10_000),
            },
          ],
        }),
      ),
    );
    expect((error as FailedScanError).reason!.length).toBe(500);
  });

  it.each([
    ['absent', {}],
    ['null', { results: null }],
  ])(
    'refuses a run whose results are %s: the tool did not run',
    (_name, run) => {
      const error = errorOf(() => streamSarif(logOf(run, 'Semgrep OSS')));
      expect(error).toBeInstanceOf(FailedScanError);
      expect(error).toMatchObject({ tool: 'Semgrep OSS' });
      expect((error as Error).message).toContain('runs[0] has no results');
    },
  );

  it('refuses a log with one failed run among good ones', () => {
    const document = {
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'Checkstyle' } }, results: [] },
        {
          tool: { driver: { name: 'gitleaks' } },
          invocations: [
            { executionSuccessful: true },
            { executionSuccessful: false, exitCode: 1 },
          ],
          results: [],
        },
      ],
    };
    const error = errorOf(() => parseSarif(document));
    expect(error).toBeInstanceOf(FailedScanError);
    expect(error).toMatchObject({ tool: 'gitleaks', reason: 'exit code 1' });
    expect((error as Error).message).toContain(
      'runs[1].invocations[1].executionSuccessful is false',
    );
  });

  it('accepts an empty results list and a successful invocation with warnings as a clean scan', () => {
    const report = parseSarif(
      logOf({
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              { message: { text: 'Syntax error in a.ts' }, level: 'warning' },
            ],
          },
        ],
        results: [],
      }),
    );
    expect(report.findings).toEqual([]);
  });

  it('rejects invocations that are not objects as a malformed report', () => {
    const error = errorOf(() =>
      parseSarif(logOf({ invocations: ['oops'], results: [] })),
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'Invalid sarif report at runs[0].invocations[0]: expected an object',
    );
  });
});

describe('secrets', () => {
  const secret = 'hunter2-prod-password';

  /** A secret scanner's result without a snippet, its message holding the secret. */
  function secretResultWithoutSnippet(password = secret) {
    return logOf(
      {
        results: [
          {
            ruleId: 'generic-password',
            message: {
              text: 'Password {0} found in {1}',
              arguments: [password, 'settings.py'],
            },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'settings.py' },
                  region: { startLine: 12 },
                },
              },
            ],
            suppressions: [{ status: 'accepted', justification: 'rotated' }],
          },
        ],
      },
      'trufflehog',
    );
  }

  it('never keeps the message of a secret result that has no snippet', () => {
    const report = parseSarif(secretResultWithoutSnippet());
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      category: 'secret',
      title: 'Secret detected by trufflehog rule generic-password.',
      description: 'Secret detected by trufflehog rule generic-password.',
      location: { path: 'settings.py', line: 12 },
      status: 'waived',
      statusReason: 'rotated',
    });
    expect(report.findings[0].secret).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  it('keeps the rule description of a secret result without a snippet', () => {
    const document = secretResultWithoutSnippet();
    Object.assign(document.runs[0].tool.driver, {
      rules: [
        {
          id: 'generic-password',
          shortDescription: { text: 'Hard-coded password' },
          fullDescription: { text: 'A password is written in the code.' },
        },
      ],
    });
    const [finding] = parseSarif(document).findings;
    expect(finding.title).toBe('Hard-coded password');
    expect(finding.description).toBe(
      'Secret detected by trufflehog rule generic-password.\n\nA password is written in the code.',
    );
  });

  it('tells secret results without a snippet apart by their hashed message', () => {
    const document = secretResultWithoutSnippet();
    const other = secretResultWithoutSnippet('another-password');
    const [finding] = parseSarif(document).findings;
    const [otherFinding] = parseSarif(other).findings;
    expect(otherFinding.fingerprint).not.toBe(finding.fingerprint);
    expect(parseSarif(document).findings[0].fingerprint).toBe(
      finding.fingerprint,
    );
  });

  it('hashes secrets with the given hasher for the stored hash and the fingerprint', () => {
    const document = readFixture('gitleaks/sarif_simple.sarif');
    const hashSecret = createSecretHasher('a key of at least 16 bytes');
    const plain = parseSarif(document).findings[0];
    const keyed = parseSarif(document, { hashSecret }).findings[0];
    expect(plain.secret?.sha256).toBe(sha256Hex('a secret'));
    expect(keyed.secret).toEqual({
      redacted: '********',
      sha256: hashSecret('a secret'),
    });
    expect(keyed.secret?.sha256).not.toBe(sha256Hex('a secret'));
    expect(keyed.fingerprint).not.toBe(plain.fingerprint);
    expect(JSON.stringify(keyed)).not.toContain('a secret');
  });

  it('hashes the message of a secret result without a snippet with the given hasher', () => {
    const hashSecret = createSecretHasher('a key of at least 16 bytes');
    const plain = parseSarif(secretResultWithoutSnippet()).findings[0];
    const keyed = parseSarif(secretResultWithoutSnippet(), { hashSecret })
      .findings[0];
    expect(keyed.fingerprint).not.toBe(plain.fingerprint);
  });
});

describe('links', () => {
  function helpUriOf(helpUri: string): string[] | undefined {
    const report = parseSarif(
      logOf({
        tool: {
          driver: { name: 'Semgrep', rules: [{ id: 'r1', helpUri }] },
        },
        results: [{ ruleId: 'r1', message: { text: 'm' } }],
      }),
    );
    return report.findings[0].references;
  }

  it('keeps an https helpUri, normalized', () => {
    expect(helpUriOf('HTTPS://Semgrep.dev/r/r1')).toEqual([
      'https://semgrep.dev/r/r1',
    ]);
  });

  it.each([
    SCRIPT_URL,
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    `https://${URL_CREDENTIALS}@example.com/r1`,
    '/relative/path',
    'https:// not a url',
  ])('drops the helpUri %s', helpUri => {
    expect(helpUriOf(helpUri)).toBeUndefined();
  });
});

describe('looksLikeSarif', () => {
  it.each(sarifFixtures)('recognises %s', fixture => {
    expect(looksLikeSarif(readFixture(fixture))).toBe(true);
  });

  it.each(otherJsonFixtures(sarifFixtures))(
    'does not claim %s',
    (_name, document) => {
      expect(looksLikeSarif(document)).toBe(false);
    },
  );

  it('needs a runs array and a SARIF schema or version', () => {
    expect(looksLikeSarif({ runs: [] })).toBe(false);
    expect(looksLikeSarif({ version: '2.1.0' })).toBe(false);
    expect(looksLikeSarif({ version: '2.2', runs: [] })).toBe(true);
    expect(looksLikeSarif(null)).toBe(false);
    expect(looksLikeSarif([])).toBe(false);
  });
});
