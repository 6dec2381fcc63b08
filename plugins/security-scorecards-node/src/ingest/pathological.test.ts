/*
 * Regular-expression denial of service (issue 13): every text helper and every
 * parser must take time linear in its untrusted input. Each case feeds
 * megabyte-sized input aimed at a pattern that used to backtrack: a quadratic
 * implementation needs from tens of seconds to hours on it, a linear one
 * milliseconds, so the bound of 5 s cannot flake on a slow machine.
 */
import { performance } from 'node:perf_hooks';
import {
  advisoryIdentifiers,
  canonicalVulnerabilityId,
  cvssOf,
  isVulnerabilityId,
  normalizeAdvisoryId,
  normalizeCwe,
  plainText,
  ruleIdentifiers,
  splitVersionList,
  truncateText,
  uniqueStrings,
} from './advisoryHelpers';
import { cvss3BaseScore, cvssVersionOfVector } from './cvss';
import { failureReasonOf } from './failedScan';
import {
  ecosystemOfPurl,
  holdsText,
  redactSecret,
  safeHttpUrl,
  withoutSecret,
} from './normalize';
import { parseReport } from './parseReport';
import { REPORT_FORMATS, ReportFormat } from './types';
import { readFixtureText } from './__testUtils__/parserFixtures';

/** A generous bound that separates linear (milliseconds) from quadratic (minutes). */
const BOUND_MS = 5000;
const MB = 1024 * 1024;
/** Most of a long secret: what near misses of it repeat. */
const almostSecret = 'a'.repeat(64 * 1024);

/** How long a function takes, in milliseconds; what it throws is ignored. */
function elapsedMs(run: () => unknown): number {
  const start = performance.now();
  try {
    run();
  } catch {
    // A clear error is a fine answer to a pathological input: only time counts.
  }
  return performance.now() - start;
}

/** A text of about `bytes` characters: `unit` repeated, between a prefix and a suffix. */
function repeated(unit: string, bytes: number, prefix = '', suffix = '') {
  return `${prefix}${unit.repeat(Math.ceil(bytes / unit.length))}${suffix}`;
}

/**
 * Texts aimed at the patterns the parsers use, about `bytes` long each, by
 * what they attack.
 */
function payloads(bytes: number): Array<[string, string]> {
  return [
    // An opening tag that is never closed, searched for at every opening.
    ['"<script>" runs', repeated('<script>', bytes)],
    ['"<style>" runs', repeated('<style x>', bytes)],
    ['"<" runs', repeated('<', bytes)],
    ['unclosed tags', repeated('<a ', bytes)],
    // \s+AND\s+, \s*(.+)$ and friends: a whitespace run not followed by a match.
    ['whitespace runs', repeated(' ', bytes, 'MIT', 'X')],
    // 0*(\d+)$: zeros shared by two quantifiers.
    ['zero runs', repeated('0', bytes, 'CWE-', 'x')],
    // ^(.+?)[-\s]v?(\d[\w.+-]*)$: a version that fails at the very end.
    ['dash-digit runs', repeated('-1', bytes, 'Tool: x', '!')],
    ['entity runs', repeated('&#1', bytes)],
  ];
}

describe('text helpers on pathological input', () => {
  const size = 2 * MB;
  // The texts that broke plainText and the parsers that use it: 23.9 s at
  // 160,000 "<script>" before the fix; about 4 minutes at 2 MB.
  it.each(payloads(size))('plainText on %s', (_name, text) => {
    expect(elapsedMs(() => plainText(text))).toBeLessThan(BOUND_MS);
  });

  it('plainText keeps the text after a long unclosed <script>', () => {
    let text: string | undefined;
    expect(
      elapsedMs(() => {
        text = plainText(`ok <script>${'x'.repeat(size)}`);
      }),
    ).toBeLessThan(BOUND_MS);
    expect(text?.startsWith('ok <script>x')).toBe(true);
    expect(text?.endsWith('…')).toBe(true);
  });

  it('plainText still strips scripts and styles, in any case', () => {
    expect(
      plainText(
        'a<SCRIPT type="x">alert(1)</script >b<style>p{}</STYLE>c<script>d',
      ),
    ).toBe('abc<script>d');
  });

  it.each(payloads(size))(
    'CVE, GHSA and CWE id helpers on %s',
    (_name, text) => {
      expect(
        elapsedMs(() => {
          normalizeCwe(text);
          normalizeAdvisoryId(text);
          advisoryIdentifiers([text, `CVE-2024-${text}`, `GHSA-${text}`]);
          isVulnerabilityId(`CVE-2024-${text}`);
          canonicalVulnerabilityId(text);
          ruleIdentifiers(text, [text, `external/cwe/cwe-${text}`]);
        }),
      ).toBeLessThan(BOUND_MS);
    },
  );

  it.each(payloads(size))('list and version helpers on %s', (_name, text) => {
    expect(
      elapsedMs(() => {
        uniqueStrings([text, ` ${text} `]);
        splitVersionList(text);
        truncateText(text);
        failureReasonOf(text);
      }),
    ).toBeLessThan(BOUND_MS);
  });

  it.each(payloads(size))('CVSS helpers on %s', (_name, text) => {
    expect(
      elapsedMs(() => {
        cvssOf(`CVSS:3.1/${text}`, undefined);
        cvssOf(text, 11, '3.1');
        cvssVersionOfVector(text);
        cvssVersionOfVector(`/Au:N${text}`);
        cvss3BaseScore(`CVSS:3.1/${text}`);
        cvss3BaseScore(repeated('AV:N/', size, 'CVSS:3.1/'));
      }),
    ).toBeLessThan(BOUND_MS);
  });

  it.each(payloads(size))('URL and purl helpers on %s', (_name, text) => {
    expect(
      elapsedMs(() => {
        safeHttpUrl(`https://example.com/${text}`);
        safeHttpUrl(text);
        ecosystemOfPurl(`pkg:${text}`);
        ecosystemOfPurl(`pkg:npm${text}/a`);
      }),
    ).toBeLessThan(BOUND_MS);
  });

  // The engine's substring search takes time proportional to the product of
  // the lengths here: about 40 s for a 1 MB text and a 128 KB secret.
  const almost = 'a'.repeat(128 * 1024);
  const nearMisses = repeated(`${almost}b`, size);
  it('withoutSecret on near-miss repetitions of a long secret', () => {
    let text = '';
    expect(
      elapsedMs(() => {
        text = withoutSecret(nearMisses, `${almost}a`);
      }),
    ).toBeLessThan(BOUND_MS);
    expect(text).toBe(nearMisses);
  });

  it('holdsText on near-miss repetitions of a long part', () => {
    let held = true;
    expect(
      elapsedMs(() => {
        held = holdsText(nearMisses, `${almost}a`);
      }),
    ).toBeLessThan(BOUND_MS);
    expect(held).toBe(false);
  });

  it('withoutSecret and holdsText find what split and includes find', () => {
    const cases: Array<[string, string]> = [
      ['aaaa', 'aa'],
      ['abababa', 'aba'],
      ['xsecretysecret', 'secret'],
      ['no match', 'secret'],
      ['aabaabaaab', 'aab'],
    ];
    for (const [text, secret] of cases) {
      expect(withoutSecret(text, secret)).toBe(
        text.split(secret).join(redactSecret(secret)),
      );
      expect(holdsText(text, secret)).toBe(text.includes(secret));
    }
    expect(elapsedMs(() => redactSecret('s'.repeat(size)))).toBeLessThan(
      BOUND_MS,
    );
  });
});

/** The in-repository report each format's cases start from. */
const SEEDS: Record<ReportFormat, string> = {
  sarif: 'sarif/Suppressions.sarif',
  cyclonedx: 'cyclonedx/vex.json',
  spdx: 'spdx/04-SBOMwSecurity.json',
  trivy: 'trivy/npm-with-suppressed.json.golden',
  grype: 'grype/keycloak-test.json',
  osv: 'osv-scanner/multiple-packages-with-vulns.json',
  'npm-audit': 'npm-audit/many_vulns.json',
  gitleaks: 'gitleaks/gitleaks8_many.json',
  'github-dependabot': 'github-dependabot/created.payload.json',
  'github-code-scanning': 'github-code-scanning/created.payload.json',
};

/** Keys whose strings the parsers read as text, ids or lists: where a payload goes. */
const TEXT_KEYS = new Set(
  [
    'description',
    'title',
    'text',
    'markdown',
    'message',
    'summary',
    'details',
    'detail',
    'resolution',
    'recommendation',
    'cwe',
    'cwes',
    'cwe_ids',
    'creators',
    'licenseconcluded',
    'licensedeclared',
    'vector',
    'vectorstring',
    'v3vector',
    'fixedversion',
    'fix',
    'tags',
    'secret',
    'match',
    'link',
    'references',
    'urls',
    'aliases',
    'id',
    'ruleid',
    'vulnerabilityid',
  ].map(key => key.toLowerCase()),
);

/**
 * A copy of a report with the first `count` strings under {@link TEXT_KEYS}
 * (in document order, array items by their array's key) replaced by the
 * payload, and every array cut to its first two items so that the report
 * stays a few megabytes.
 */
function poisoned(document: unknown, payload: string, count: number): unknown {
  let left = count;
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      if (left > 0 && TEXT_KEYS.has(key.toLowerCase())) {
        left--;
        return key.toLowerCase() === 'creators' ? `Tool: ${payload}` : payload;
      }
      return value;
    }
    if (Array.isArray(value)) return value.slice(0, 2).map(v => walk(v, key));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, k)]),
      );
    }
    return value;
  };
  return walk(document, '');
}

function json(document: unknown): Buffer {
  return Buffer.from(JSON.stringify(document));
}

describe('parsers on pathological input', () => {
  it('covers every format', () => {
    expect(Object.keys(SEEDS).sort()).toEqual([...REPORT_FORMATS].sort());
  });

  // Up to 8 text fields of 512 KB each, through parseReport (which collects
  // the streamed report) with the format given.
  const cases = REPORT_FORMATS.flatMap(format =>
    payloads(MB / 2).map(([name, payload]) => [format, name, payload] as const),
  );
  it.each(cases)('%s with text fields of %s', (format, _name, payload) => {
    const seed = JSON.parse(readFixtureText(SEEDS[format]));
    const body = json(poisoned(seed, payload, 8));
    expect(elapsedMs(() => parseReport(body, { format }))).toBeLessThan(
      BOUND_MS,
    );
  });

  it('cyclonedx XML with a description of "<script>" runs', () => {
    const xml = readFixtureText('cyclonedx/bom.xml').replace(
      /<description>[^<]*<\/description>/,
      `<description>${repeated('&lt;script&gt;', 2 * MB)}</description>`,
    );
    expect(
      elapsedMs(() => parseReport(Buffer.from(xml), { format: 'cyclonedx' })),
    ).toBeLessThan(BOUND_MS);
  });

  // The uploads the issue measured, 2 MB of each (0.46 s at 20,000 "<script>",
  // 23.9 s at 160,000; these are 260,000 and more).
  const trivy = (vulnerability: Record<string, unknown>) =>
    json({
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'repository',
      Results: [
        {
          Target: 'package-lock.json',
          Class: 'lang-pkgs',
          Type: 'npm',
          Vulnerabilities: [
            {
              VulnerabilityID: 'CVE-2024-0001',
              PkgName: 'a',
              InstalledVersion: '1.0.0',
              Severity: 'HIGH',
              ...vulnerability,
            },
          ],
        },
      ],
    });
  it('trivy with a Description of "<script>" runs', () => {
    const body = trivy({ Description: repeated('<script>', 2 * MB) });
    let report: ReturnType<typeof parseReport> | undefined;
    expect(
      elapsedMs(() => {
        report = parseReport(body, { format: 'trivy' });
      }),
    ).toBeLessThan(BOUND_MS);
    expect(report?.findings).toHaveLength(1);
  });

  const spdx = (fields: Record<string, unknown>) =>
    json({
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'test',
      ...fields,
    });
  const spdxLicense = (license: string) =>
    spdx({
      packages: [
        {
          SPDXID: 'SPDXRef-a',
          name: 'a',
          versionInfo: '1',
          licenseConcluded: license,
        },
      ],
    });
  it.each([
    ['a whitespace run', repeated(' ', 2 * MB, 'MIT', 'X')],
    ['"AND " runs', repeated('AND ', 2 * MB, 'MIT ', 'X')],
    ['" AND" runs', repeated(' AND', 2 * MB, 'MIT', 'X')],
    ['tab runs before AND', repeated('\t', 2 * MB, 'MIT', 'ANDX')],
  ])('spdx with a license expression of %s', (_name, license) => {
    expect(
      elapsedMs(() => parseReport(spdxLicense(license), { format: 'spdx' })),
    ).toBeLessThan(BOUND_MS);
  });

  it('spdx license expressions are still split at AND', () => {
    const report = parseReport(
      spdxLicense('MIT  AND\tISC AND AND Apache-2.0 AND MIT'),
      { format: 'spdx' },
    );
    expect(report.dependencies[0].licenses).toEqual([
      'MIT',
      'ISC',
      'AND Apache-2.0',
    ]);
  });

  it.each([
    ['"-1" runs', repeated('-1', 2 * MB, 'Tool: x', '!')],
    ['" 1" runs', repeated(' 1', 2 * MB, 'Tool: x', '!')],
    ['a whitespace run and a line break', repeated(' ', 2 * MB, 'Tool:', '\n')],
    ['"v1-" runs', repeated('v1-', 2 * MB, 'Tool: x-', '\n')],
  ])('spdx with a creator of %s', (_name, creator) => {
    expect(
      elapsedMs(() =>
        parseReport(spdx({ creationInfo: { creators: [creator] } }), {
          format: 'spdx',
        }),
      ),
    ).toBeLessThan(BOUND_MS);
  });

  it('spdx creators still give the tool and its version', () => {
    const scanner = (creator: string) => {
      const report = parseReport(
        spdx({ creationInfo: { creators: [creator] } }),
        {
          format: 'spdx',
        },
      );
      return [report.scanner, report.scannerVersion];
    };
    expect(scanner('Tool: syft-0.98.0')).toEqual(['syft', '0.98.0']);
    expect(scanner('Tool:  trivy v0.48.1 ')).toEqual(['trivy', '0.48.1']);
    expect(scanner('Tool: my-tool-2-beta')).toEqual(['my-tool', '2-beta']);
    expect(scanner('Tool: x-1-1!')).toEqual(['x-1-1!', undefined]);
  });

  it('npm-audit with a CWE of zero runs', () => {
    const document = JSON.parse(readFixtureText(SEEDS['npm-audit']));
    for (const vulnerability of Object.values<{ via: unknown[] }>(
      document.vulnerabilities,
    )) {
      for (const via of vulnerability.via) {
        if (via && typeof via === 'object') {
          (via as { cwe: string[] }).cwe = [
            repeated('0', 2 * MB, 'CWE-', 'x'),
            'CWE-0079',
          ];
        }
      }
    }
    let report: ReturnType<typeof parseReport> | undefined;
    expect(
      elapsedMs(() => {
        report = parseReport(json(document), { format: 'npm-audit' });
      }),
    ).toBeLessThan(BOUND_MS);
    expect(
      report?.findings.some(finding => finding.identifiers?.includes('CWE-79')),
    ).toBe(true);
  });

  it('cyclonedx with a CWE of zero runs', () => {
    const body = json({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      vulnerabilities: [
        { id: 'CVE-2024-0001', cwes: [repeated('0', 2 * MB, '', 'x')] },
      ],
    });
    expect(
      elapsedMs(() => parseReport(body, { format: 'cyclonedx' })),
    ).toBeLessThan(BOUND_MS);
  });

  it('gitleaks with a long secret nearly repeated in its link', () => {
    const [leak] = JSON.parse(readFixtureText(SEEDS.gitleaks));
    const body = json([
      {
        ...leak,
        Secret: `${almostSecret}a`,
        Match: repeated(`${almostSecret}b`, MB),
        Link: `https://example.com/${repeated(`${almostSecret}b`, MB)}`,
      },
    ]);
    let report: ReturnType<typeof parseReport> | undefined;
    expect(
      elapsedMs(() => {
        report = parseReport(body, { format: 'gitleaks' });
      }),
    ).toBeLessThan(BOUND_MS);
    expect(report?.findings).toHaveLength(1);
  });

  it('sarif with a Trivy message of long lines', () => {
    const document = JSON.parse(readFixtureText(SEEDS.sarif));
    const message = [
      `Package: ${repeated(' ', MB)}`,
      `Installed Version: ${repeated(' ', MB)}x`,
      `Fixed Version:${repeated(' ', MB)}`,
    ].join('\n');
    document.runs[0].results[0].ruleId = 'CVE-2024-0001';
    document.runs[0].results[0].message = { text: message };
    expect(
      elapsedMs(() => parseReport(json(document), { format: 'sarif' })),
    ).toBeLessThan(BOUND_MS);
  });
});
