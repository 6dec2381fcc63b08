import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { captureIo } from '../__testUtils__/captureIo';
import { runCli } from '../cli';

const fixtures = resolve(__dirname, '../__fixtures__');

describe('validate', () => {
  it('counts a SARIF report with suppressions', async () => {
    // 9 results, none with a level or a rule: "warning", so medium SAST.
    // Results 2, 3, 5, 7 and 8 have an accepted or an unqualified suppression.
    const io = captureIo({ cwd: fixtures });
    expect(await runCli(['validate', 'Suppressions.sarif'], io)).toBe(0);
    expect(io.out()).toBe(
      [
        'Suppressions.sarif: sarif report from SarifSamples 1.0',
        '  9 findings, 0 dependencies',
        '  by severity: critical 0, high 0, medium 9, low 0, info 0',
        '  by category: sast 9',
        '  by status:   open 4, waived 5',
        '',
      ].join('\n'),
    );
    expect(io.err()).toBe('');
  });

  it('prints JSON', async () => {
    // 4 leaks; the AWS secret is the same secret in the same file in two commits.
    const io = captureIo({ cwd: fixtures });
    expect(
      await runCli(['validate', 'gitleaks8_many.json', '--output', 'json'], io),
    ).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      file: 'gitleaks8_many.json',
      format: 'gitleaks',
      scanner: 'gitleaks',
      findings: 3,
      bySeverity: { critical: 0, high: 3, medium: 0, low: 0, info: 0 },
      byCategory: {
        sast: 0,
        sca: 0,
        secret: 3,
        iac: 0,
        container: 0,
        dast: 0,
        other: 0,
      },
      byStatus: {
        open: 3,
        fixed: 0,
        waived: 0,
        false_positive: 0,
        not_affected: 0,
      },
      dependencies: 0,
    });
  });

  it('reads a gzipped report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scorecards-cli-'));
    try {
      const bytes = await readFile(join(fixtures, 'Suppressions.sarif'));
      await writeFile(join(dir, 'results.sarif.gz'), gzipSync(bytes));
      const io = captureIo({ cwd: dir });
      expect(
        await runCli(['validate', 'results.sarif.gz', '-o', 'json'], io),
      ).toBe(0);
      expect(JSON.parse(io.out())).toMatchObject({
        format: 'sarif',
        scannerVersion: '1.0',
        findings: 9,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 naming the problem when the report is not of the format', async () => {
    const io = captureIo({ cwd: fixtures });
    expect(
      await runCli(
        ['validate', 'gitleaks8_many.json', '--format', 'sarif', '-o', 'json'],
        io,
      ),
    ).toBe(2);
    expect(io.err()).toMatch(
      /^Error: gitleaks8_many\.json: Invalid sarif report/,
    );
    expect(JSON.parse(io.out()).error.message).toMatch(
      /^gitleaks8_many\.json: Invalid sarif report/,
    );
  });

  it('exits 2 on a file that does not parse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scorecards-cli-'));
    try {
      await writeFile(join(dir, 'broken.json'), '{"runs": [');
      const io = captureIo({ cwd: dir });
      expect(await runCli(['validate', 'broken.json'], io)).toBe(2);
      expect(io.err()).toMatch(
        /^Error: broken\.json: Invalid report: malformed JSON: /,
      );
      expect(io.out()).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on a missing file', async () => {
    const io = captureIo({ cwd: fixtures });
    expect(await runCli(['validate', 'nothing.sarif'], io)).toBe(2);
    expect(io.err()).toContain('Error: Cannot read nothing.sarif: ENOENT');
  });
});
