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
  GITLEAKS_LAZY_PATHS,
  looksLikeGitleaks,
  parseGitleaks,
  streamGitleaks,
} from './gitleaks';
import { LazyJsonArray } from './lazyJson';
import { createSecretHasher, sha256Hex } from './normalize';
import { ALL_JSON_LAZY_PATHS } from './parseReport';
import { SCRIPT_URL, URL_CREDENTIALS } from './__testUtils__/unsafeUrls';

const fixture = 'gitleaks/gitleaks8_many.json';

const rawSecrets = [
  'secretAWSsecret',
  '-----BEGIN RSA PRIVATE KEY-----',
  'dfjksdjfs3294dfjlsdaf213',
];

describe('parseGitleaks', () => {
  it('reads a gitleaks 8 report, one finding per secret and file', () => {
    const report = parseGitleaks(readFixture(fixture));
    expect(report.format).toBe('gitleaks');
    expect(report.scanner).toBe('gitleaks');
    expect(report.dependencies).toEqual([]);
    // 4 leaks, but the AWS secret is the same secret in the same file in two commits.
    expect(report.findings).toHaveLength(3);
    expect(countBy(report.findings, f => f.severity)).toEqual({ high: 3 });
    expect(countBy(report.findings, f => f.category)).toEqual({ secret: 3 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 3 });
    expect(report.findings.map(f => f.ruleId)).toEqual([
      'aws-access-token',
      'RSA-PK',
      'generic-api-key',
    ]);

    const [aws, rsa, apiKey] = report.findings;
    expect(aws).toMatchObject({
      title: 'AWS',
      location: { path: '/conf/aws.tf', line: 2 },
      secret: {
        redacted: 'secr***********',
        sha256: sha256Hex('secretAWSsecret'),
      },
      identifiers: [],
      scanner: 'gitleaks',
    });
    expect(rsa).toMatchObject({
      title: 'RSA private key',
      location: { path: 'conf/rsa.pk', line: 57 },
      secret: { sha256: sha256Hex('-----BEGIN RSA PRIVATE KEY-----') },
    });
    expect(apiKey).toMatchObject({
      title: 'Generic API Key',
      location: { path: 'tests/api.py', line: 21 },
      secret: { redacted: 'dfjk****************' },
    });
    expect(apiKey.description).toBe(
      'Generic API Key found in tests/api.py, line 21, commit ' +
        '69235ea9ea4d59e18e2cc3c295526de46aa1365c1f0c7a95a22ff1537acdf517.\n' +
        'Match: apikey = "dfjk****************"',
    );
  });

  it('never keeps a secret or a match', () => {
    const serialized = JSON.stringify(parseGitleaks(readFixture(fixture)));
    for (const secret of rawSecrets) expect(serialized).not.toContain(secret);
    expect(serialized).not.toContain('apikey = \\"dfjksdjfs3294dfjlsdaf213\\"');
  });

  it('treats the match as the secret when Secret is empty', () => {
    const report = parseGitleaks([
      {
        RuleID: 'slack-token',
        File: 'a.env',
        Secret: '',
        Match: 'xoxb-1234567890-abcdef',
        StartLine: 3,
      },
    ]);
    expect(report.findings[0].secret?.sha256).toBe(
      sha256Hex('xoxb-1234567890-abcdef'),
    );
    expect(JSON.stringify(report)).not.toContain('xoxb-1234567890-abcdef');
  });

  it('keeps a fingerprint when the secret moves to another line or commit', () => {
    const leaks = readFixture(fixture) as Array<{
      StartLine: number;
      Commit: string;
    }>;
    const before = parseGitleaks(leaks).findings.map(f => f.fingerprint);
    for (const leak of leaks) {
      leak.StartLine += 10;
      leak.Commit = 'feedface';
    }
    const after = parseGitleaks(leaks);
    expect(after.findings.map(f => f.fingerprint)).toEqual(before);
    expect(after.findings[0].location?.line).toBe(12);
  });

  it('hashes the secret with the given hasher for the stored hash and the fingerprint', () => {
    const hashSecret = createSecretHasher('a key of at least 16 bytes');
    const leak = {
      RuleID: 'slack-token',
      File: 'a.env',
      Secret: 'xoxb-1234567890-abcdef',
      StartLine: 3,
    };
    const plain = parseGitleaks([leak]).findings[0];
    const keyed = parseGitleaks([leak], { hashSecret }).findings[0];
    expect(keyed.secret?.sha256).toBe(hashSecret('xoxb-1234567890-abcdef'));
    expect(keyed.secret?.sha256).not.toBe(sha256Hex('xoxb-1234567890-abcdef'));
    expect(keyed.fingerprint).not.toBe(plain.fingerprint);
    expect(JSON.stringify(keyed)).not.toContain('xoxb-1234567890-abcdef');
    // The same hasher gives the same fingerprint on every upload.
    expect(parseGitleaks([leak], { hashSecret }).findings[0].fingerprint).toBe(
      keyed.fingerprint,
    );
  });

  it.each([
    ['https://github.com/acme/app/blob/abc/a.env#L3', true],
    [SCRIPT_URL, false],
    ['data:text/html,hi', false],
    [`https://${URL_CREDENTIALS}@github.com/acme/app/blob/abc/a.env`, false],
    [
      'https://github.com/acme/app/blob/abc/a.env?t=xoxb-1234567890-abcdef',
      false,
    ],
    [
      'https://github.com/acme/app/blob/abc/a.env?t=xoxb%2D1234567890-abcdef',
      false,
    ],
  ])(
    'keeps the link %s only when it is a safe https link without the secret (%s)',
    (link, kept) => {
      const report = parseGitleaks([
        {
          RuleID: 'slack-token',
          File: 'a.env',
          Secret: 'xoxb-1234567890-abcdef',
          Link: link,
        },
      ]);
      expect(report.findings[0].references).toEqual(kept ? [link] : undefined);
    },
  );

  it('accepts an empty report', () => {
    expect(parseGitleaks([])).toEqual({
      format: 'gitleaks',
      scanner: 'gitleaks',
      findings: [],
      dependencies: [],
    });
  });

  it.each([
    ['an object', {}, 'at the top level', 'expected an array'],
    ['null', null, 'at the top level', 'is missing'],
    ['numbers', [1, 2], 'at [0]', 'expected an object'],
    [
      'a leak without RuleID',
      [{ RuleID: 'a', File: 'f' }, { File: 'f' }],
      'at [1].RuleID',
      'is missing',
    ],
    [
      'a numeric RuleID',
      [{ RuleID: 3, File: 'f' }],
      'at [0].RuleID',
      'expected a string',
    ],
    ['a leak without File', [{ RuleID: 'a' }], 'at [0].File', 'is missing'],
  ])('rejects %s', (_name, document, place, problem) => {
    const error = errorOf(() => parseGitleaks(document));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      `Invalid gitleaks report ${place}: ${problem}`,
    );
  });
});

describe('streamGitleaks', () => {
  it('reads the report lazily as parseGitleaks reads it whole', () => {
    const text = readFixtureText(fixture);
    const lazy = readLazily(text, GITLEAKS_LAZY_PATHS, 'gitleaks report');
    expect(lazy).toBeInstanceOf(LazyJsonArray);
    const streamed = streamGitleaks(lazy);
    expect(collectReport(streamed)).toEqual(parseGitleaks(JSON.parse(text)));
    // Every pass reads the leaks again, the repeated AWS secret included.
    expect([...streamed.findings]).toHaveLength(4);
    expect([...streamed.findings]).toEqual([...streamed.findings]);
  });

  it('reads an empty lazy report', () => {
    expect(
      collectReport(
        streamGitleaks(
          readLazily('[]', GITLEAKS_LAZY_PATHS, 'gitleaks report'),
        ),
      ),
    ).toEqual(parseGitleaks([]));
  });

  it('reads the leaks as they are iterated, failing at a malformed one', () => {
    const [first] = readFixture(fixture) as unknown[];
    const text = `[${JSON.stringify(first)},{"RuleID": nope}]`;
    const report = streamGitleaks(
      readLazily(text, GITLEAKS_LAZY_PATHS, 'gitleaks report'),
    );

    const findings = report.findings[Symbol.iterator]();
    expect(findings.next().value).toMatchObject({
      ruleId: 'aws-access-token',
    });
    const error = errorOf(() => findings.next());
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'Invalid gitleaks report: malformed JSON at the top level[1]',
    );
  });

  it('checks that the report is a list at once', () => {
    expect(() =>
      streamGitleaks(
        readLazily('{"RuleID":"a"}', GITLEAKS_LAZY_PATHS, 'gitleaks report'),
      ),
    ).toThrow('Invalid gitleaks report at the top level: expected an array');
  });
});

describe('looksLikeGitleaks', () => {
  it('recognises the gitleaks JSON report', () => {
    expect(looksLikeGitleaks(readFixture(fixture))).toBe(true);
  });

  it('recognises the report read lazily', () => {
    const lazy = readLazily(
      readFixtureText(fixture),
      ALL_JSON_LAZY_PATHS,
      'gitleaks report',
    );
    expect(lazy).toBeInstanceOf(LazyJsonArray);
    expect(looksLikeGitleaks(lazy)).toBe(true);
  });

  it.each(allJsonFixtures())(
    "detects %s/%s read with every format's lazy lists only when it is gitleaks JSON",
    (folder, file) => {
      const lazy = readLazily(
        readFixtureText(folder, file),
        ALL_JSON_LAZY_PATHS,
        'gitleaks report',
      );
      expect(looksLikeGitleaks(lazy)).toBe(`${folder}/${file}` === fixture);
    },
  );

  it.each([
    'github-dependabot/created.payload.json',
    'github-code-scanning/created.payload.json',
  ])('does not claim a lazy list of the alerts of %s', alertFixture => {
    const { alert } = readFixture(alertFixture) as { alert: unknown };
    const lazy = readLazily(
      JSON.stringify([alert]),
      ALL_JSON_LAZY_PATHS,
      'gitleaks report',
    );
    expect(lazy).toBeInstanceOf(LazyJsonArray);
    expect(looksLikeGitleaks(lazy)).toBe(false);
  });

  it('does not claim an empty lazy list', () => {
    expect(
      looksLikeGitleaks(
        readLazily('[]', GITLEAKS_LAZY_PATHS, 'gitleaks report'),
      ),
    ).toBe(false);
  });

  it.each(otherJsonFixtures([fixture]))(
    'does not claim %s',
    (_name, document) => {
      // gitleaks/sarif_simple.sarif is SARIF, for the SARIF parser.
      expect(looksLikeGitleaks(document)).toBe(false);
    },
  );

  it('does not claim an empty array, which any list report can be', () => {
    expect(looksLikeGitleaks([])).toBe(false);
  });
});
