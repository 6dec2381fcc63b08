import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const packageDir = resolve(__dirname, '..');
const bin = resolve(packageDir, 'bin/security-scorecards');

function run(args: string[]) {
  // The Node.js on PATH, as a pipeline would call it.
  return spawnSync('node', [bin, ...args], {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...process.env, BACKSTAGE_URL: '' },
    timeout: 60_000,
  });
}

describe('bin/security-scorecards', () => {
  // In the repository the bin loads src/ through the node transform: no build.
  it('runs from the TypeScript source, without a build', () => {
    const help = run(['--help']);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(
      'Usage: security-scorecards [options] [command]',
    );
    expect(help.stdout).toMatch(/upload \[options\]\s+upload scanner reports/);
    expect(help.stdout).toMatch(/gate \[options\]\s+evaluate a policy/);
    expect(help.stdout).toMatch(/validate \[options\] <file>\s+read a report/);
  });

  it('exits with the code of the command', () => {
    const validate = run(['validate', 'src/__fixtures__/gitleaks8_many.json']);
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain('by severity: critical 0, high 3');

    const gate = run(['gate', '--entity', 'component:default/a']);
    expect(gate.status).toBe(2);
    expect(gate.stderr).toContain('Error: No Backstage URL');
  });
});
