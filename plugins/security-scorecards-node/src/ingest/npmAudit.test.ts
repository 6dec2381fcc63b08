import { InputError } from '@backstage/errors';
import {
  countBy,
  errorOf,
  otherJsonFixtures,
  readFixture,
} from './__testUtils__/parserFixtures';
import { FailedScanError } from './failedScan';
import { looksLikeNpmAudit, parseNpmAudit } from './npmAudit';
import { SCRIPT_URL } from './__testUtils__/unsafeUrls';

/** What `npm audit --json` writes instead of a report when it fails. */
const npmError = {
  error: {
    code: 'ENOLOCK',
    summary: 'This command requires an existing lockfile.',
    detail:
      'Try creating one first with: npm i --package-lock-only\nOriginal error: loadVirtual requires existing shrinkwrap file',
  },
};

const fixture = 'npm-audit/many_vulns.json';

/** The shape of `npm audit --json` from npm 6, for rejection tests. */
const npm6Report = {
  actions: [],
  advisories: {
    '1094219': { id: 1094219, module_name: 'debug', severity: 'moderate' },
  },
  muted: [],
  metadata: { vulnerabilities: { moderate: 1 } },
};

describe('parseNpmAudit', () => {
  it('reads one finding per advisory and affected package', () => {
    const report = parseNpmAudit(readFixture(fixture));
    expect(report.format).toBe('npm-audit');
    expect(report.scanner).toBe('npm audit');
    expect(report.dependencies).toEqual([]);
    // 6 vulnerable packages, but only debug, semver and undici have advisories of
    // their own; the other via entries are names of those packages.
    expect(report.findings).toHaveLength(3);
    expect(countBy(report.findings, f => f.severity)).toEqual({
      medium: 2,
      low: 1,
    });
    expect(countBy(report.findings, f => f.category)).toEqual({ sca: 3 });
    expect(countBy(report.findings, f => f.status)).toEqual({ open: 3 });
    expect(report.findings.map(f => `${f.ruleId} ${f.package?.name}`)).toEqual([
      'GHSA-gxpj-cx7g-858c debug',
      'GHSA-c2qf-rxjj-qqgw semver',
      'GHSA-3787-6prv-h9w3 undici',
    ]);

    const [debug, semver, undici] = report.findings;
    expect(debug).toMatchObject({
      title: 'Regular Expression Denial of Service in debug',
      severity: 'medium',
      identifiers: ['GHSA-gxpj-cx7g-858c', 'CWE-400'],
      cvss: {
        version: '3.0',
        score: 5.3,
        vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
      },
      // The fix is an update of vercel, not of debug itself.
      package: { name: 'debug', ecosystem: 'npm', fixedVersions: [] },
      references: ['https://github.com/advisories/GHSA-gxpj-cx7g-858c'],
      scanner: 'npm audit',
    });
    expect(debug.package?.version).toBeUndefined();
    expect(debug.description).toBe(
      'Vulnerable versions of debug: >=4.0.0 <4.3.1.\n' +
        'Installed at node_modules/@vercel/fun/node_modules/debug.\n' +
        'Fixed by updating vercel to 32.3.0 (a semver-major update).',
    );
    expect(semver).toMatchObject({
      identifiers: ['GHSA-c2qf-rxjj-qqgw', 'CWE-1333'],
    });
    expect(undici).toMatchObject({
      title:
        'Undici proxy-authorization header not cleared on cross-origin redirect in fetch',
      severity: 'low',
      cvss: {
        score: 3.9,
        vector: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L',
      },
      identifiers: ['GHSA-3787-6prv-h9w3', 'CWE-200'],
    });
  });

  it('takes fixed versions only from a fix of the package itself', () => {
    const report = parseNpmAudit({
      auditReportVersion: 2,
      vulnerabilities: {
        minimist: {
          name: 'minimist',
          via: [
            {
              source: 1179,
              title: 'Prototype Pollution',
              url: 'https://npmjs.com/advisories/1179',
              severity: 'UNKNOWN',
              cwe: ['CWE-1321'],
              cvss: { score: 0, vectorString: null },
              range: '<0.2.1',
            },
            {
              source: 1200,
              title: 'Another',
              url: 'https://github.com/advisories/GHSA-vh95-rmgr-6w4m',
              severity: 'critical',
            },
          ],
          nodes: ['node_modules/minimist'],
          fixAvailable: {
            name: 'minimist',
            version: '1.2.6',
            isSemVerMajor: false,
          },
        },
      },
    });
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'npm-advisory-1179',
      severity: 'info',
      identifiers: ['CWE-1321'],
      package: { name: 'minimist', fixedVersions: ['1.2.6'] },
    });
    expect(report.findings[0].cvss).toBeUndefined();
    expect(report.findings[1]).toMatchObject({
      ruleId: 'GHSA-vh95-rmgr-6w4m',
      severity: 'critical',
    });
  });

  it('uses the CVSS score when the advisory has no severity', () => {
    const report = parseNpmAudit({
      auditReportVersion: 2,
      vulnerabilities: {
        x: {
          name: 'x',
          via: [{ source: 1, cvss: { score: 9.8, vectorString: null } }],
          fixAvailable: true,
        },
      },
    });
    expect(report.findings[0]).toMatchObject({
      severity: 'critical',
      cvss: { score: 9.8 },
    });
    expect(report.findings[0].description).toBe(
      'A fix is available through npm audit fix.',
    );
  });

  it('refuses the error npm writes when the audit fails as a failed scan', () => {
    const error = errorOf(() => parseNpmAudit(npmError));
    expect(error).toBeInstanceOf(FailedScanError);
    expect(error).toMatchObject({
      reason: 'ENOLOCK: This command requires an existing lockfile.',
      tool: 'npm audit',
      message:
        'The npm-audit report says that npm audit failed: ENOLOCK: This command requires an existing lockfile.',
    });
  });

  it('drops a CVSS score outside 0 to 10, keeping the vector', () => {
    const report = parseNpmAudit({
      auditReportVersion: 2,
      vulnerabilities: {
        x: {
          name: 'x',
          via: [
            {
              source: 1,
              severity: 'moderate',
              cvss: {
                score: 9007199254740994,
                vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
              },
            },
          ],
        },
      },
    });
    expect(report.findings[0].cvss).toEqual({
      version: '3.1',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
    });
  });

  it.each([
    ['https://github.com/advisories/GHSA-gxpj-cx7g-858c', true],
    [`${SCRIPT_URL}//GHSA-gxpj-cx7g-858c`, false],
    ['https://user:pw@github.com/advisories/GHSA-gxpj-cx7g-858c', false],
  ])('links the advisory url %s only when it is safe (%s)', (url, kept) => {
    const report = parseNpmAudit({
      auditReportVersion: 2,
      vulnerabilities: {
        x: { name: 'x', via: [{ url, title: 't', severity: 'high' }] },
      },
    });
    expect(report.findings[0].ruleId).toBe('GHSA-gxpj-cx7g-858c');
    expect(report.findings[0].references).toEqual(kept ? [url] : undefined);
  });

  it('keeps a fingerprint when the install path changes', () => {
    const document = readFixture(fixture) as {
      vulnerabilities: Record<string, { nodes: string[] }>;
    };
    const before = parseNpmAudit(document).findings.map(f => f.fingerprint);
    document.vulnerabilities.debug.nodes = ['node_modules/debug'];
    expect(parseNpmAudit(document).findings.map(f => f.fingerprint)).toEqual(
      before,
    );
  });

  it('rejects npm 6 reports by saying so', () => {
    const npm6 = errorOf(() => parseNpmAudit(npm6Report));
    expect(npm6).toBeInstanceOf(InputError);
    expect((npm6 as Error).message).toBe(
      'Invalid npm-audit report at auditReportVersion: is missing: this is an npm 6 report ' +
        '(audit report version 1), which is not supported; run npm audit --json with npm 7 or later',
    );
    const version1 = errorOf(() =>
      parseNpmAudit({ auditReportVersion: 1, vulnerabilities: {} }),
    );
    expect(version1).toBeInstanceOf(InputError);
    expect((version1 as Error).message).toBe(
      'Invalid npm-audit report at auditReportVersion: audit report version 1 is not supported, ' +
        'only 2 (npm 7 and later)',
    );
  });

  it.each([
    ['an array', [1, 2], 'at the top level', 'expected an object'],
    ['an empty object', {}, 'at auditReportVersion', 'is missing'],
    [
      'no vulnerabilities',
      { auditReportVersion: 2 },
      'at vulnerabilities',
      'expected an object',
    ],
    [
      'an entry that is a string',
      { auditReportVersion: 2, vulnerabilities: { debug: 'x' } },
      'at vulnerabilities["debug"]',
      'expected an object',
    ],
    [
      'an entry without via',
      {
        auditReportVersion: 2,
        vulnerabilities: { '@vercel/fun': { name: '@vercel/fun' } },
      },
      'at vulnerabilities["@vercel/fun"].via',
      'is missing',
    ],
    [
      'an advisory that is a number',
      { auditReportVersion: 2, vulnerabilities: { debug: { via: ['ms', 4] } } },
      'at vulnerabilities["debug"].via[1]',
      'expected an object',
    ],
    [
      'an advisory without id',
      {
        auditReportVersion: 2,
        vulnerabilities: { debug: { via: [{ title: 't' }] } },
      },
      'at vulnerabilities["debug"].via[0].source',
      'is missing',
    ],
  ])('rejects %s', (_name, document, place, problem) => {
    const error = errorOf(() => parseNpmAudit(document));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      `Invalid npm-audit report ${place}: ${problem}`,
    );
  });
});

describe('looksLikeNpmAudit', () => {
  it('recognises npm audit reports, and npm 6 ones to reject them', () => {
    expect(looksLikeNpmAudit(readFixture(fixture))).toBe(true);
    expect(looksLikeNpmAudit(npm6Report)).toBe(true);
    expect(looksLikeNpmAudit({ vulnerabilities: {} })).toBe(false);
  });

  it("recognises npm's error object, to answer it as a failed scan", () => {
    expect(looksLikeNpmAudit(npmError)).toBe(true);
    expect(looksLikeNpmAudit({ error: { code: 'E404' } })).toBe(false);
    expect(looksLikeNpmAudit({ ...npmError, results: [] })).toBe(false);
  });

  it.each(otherJsonFixtures([fixture]))(
    'does not claim %s',
    (_name, document) => {
      expect(looksLikeNpmAudit(document)).toBe(false);
    },
  );
});
