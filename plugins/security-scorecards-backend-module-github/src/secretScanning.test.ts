import { InputError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { redactSecret } from '@secdevops/plugin-security-scorecards-node';
import { parseGithubSecretScanning } from './secretScanning';
import { secretScanningAlerts } from './__testUtils__/fakeGithub';

const repository = 'owner/private-repo';
const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

describe('parseGithubSecretScanning', () => {
  describe("GitHub's documented alerts", () => {
    const alerts = secretScanningAlerts();
    const report = parseGithubSecretScanning(alerts, { repository });
    const [resolved, open] = report.findings;

    it('reads one high secret finding per alert', () => {
      expect(report.format).toBe('github-secret-scanning');
      expect(report.scanner).toBe('GitHub secret scanning');
      expect(report.coverage).toEqual(['secret']);
      expect(report.dependencies).toEqual([]);
      expect(report.findings).toHaveLength(2);
      for (const finding of report.findings) {
        expect(finding.category).toBe('secret');
        expect(finding.severity).toBe('high');
        expect(finding.scanner).toBe('GitHub secret scanning');
      }
    });

    it('reads the secret type, state, resolution and first location', () => {
      expect(resolved).toMatchObject({
        ruleId: 'adafruit_io_key',
        title: 'Adafruit IO Key',
        status: 'false_positive',
        statusReason: 'false_positive: Example comment',
        location: { path: '/example/secrets.txt', line: 1 },
        references: [
          'https://github.com/owner/private-repo/security/secret-scanning/2',
        ],
      });
      expect(resolved.description).toContain(
        'Push protection was bypassed for it: Example comment',
      );
      expect(resolved.description).toContain('no longer valid');
      expect(open).toMatchObject({
        ruleId: 'mailchimp_api_key',
        title: 'Mailchimp API Key',
        status: 'open',
      });
      expect(open.location).toBeUndefined();
      expect(open.statusReason).toBeUndefined();
    });

    it('keeps a redacted secret and its SHA-256, never the secret', () => {
      expect(resolved.secret).toEqual({
        redacted: 'aio_****************',
        sha256: sha256('aio_XXXXXXXXXXXXXXXXXXXXXXXXXXXX'),
      });
      expect(open.secret).toEqual({
        redacted: redactSecret('XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX-us2'),
        sha256: sha256('XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX-us2'),
      });
      const stored = JSON.stringify(report);
      for (const alert of alerts) {
        expect(stored).not.toContain(alert.secret);
      }
    });

    it('fingerprints the repository and the alert number', () => {
      const again = parseGithubSecretScanning(secretScanningAlerts(), {
        repository: 'Owner/Private-Repo',
      });
      expect(again.findings.map(f => f.fingerprint)).toEqual(
        report.findings.map(f => f.fingerprint),
      );
      const elsewhere = parseGithubSecretScanning(secretScanningAlerts(), {
        repository: 'owner/other-repo',
      });
      expect(elsewhere.findings[0].fingerprint).not.toBe(resolved.fingerprint);
      expect(new Set(report.findings.map(f => f.fingerprint)).size).toBe(2);
    });
  });

  it.each([
    ['revoked', 'fixed'],
    ['false_positive', 'false_positive'],
    ['used_in_tests', 'waived'],
    ['wont_fix', 'waived'],
    ['pattern_deleted', 'fixed'],
    ['pattern_edited', 'fixed'],
    [null, 'fixed'],
  ])('maps resolution %s to %s', (resolution, status) => {
    const [, alert] = secretScanningAlerts();
    alert.state = 'resolved';
    alert.resolution = resolution;
    const [finding] = parseGithubSecretScanning(alert, {
      repository,
    }).findings;
    expect(finding.status).toBe(status);
    expect(finding.statusReason).toBe(resolution ?? undefined);
  });

  it('scrubs the secret from every text', () => {
    const secret = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    const [, alert] = secretScanningAlerts();
    alert.secret = secret;
    alert.state = 'resolved';
    alert.resolution = 'wont_fix';
    alert.resolution_comment = `${secret} is a read-only token`;
    alert.push_protection_bypassed = true;
    alert.push_protection_bypass_request_comment = `pushing ${secret} on purpose`;
    alert.secret_type_display_name = `GitHub Personal Access Token ${secret}`;

    const report = parseGithubSecretScanning([alert], { repository });

    expect(JSON.stringify(report)).not.toContain(secret);
    expect(report.findings[0].statusReason).toBe(
      'wont_fix: ghp_**************** is a read-only token',
    );
  });

  it('reads an alert without its secret (hide_secret)', () => {
    const [, alert] = secretScanningAlerts();
    delete alert.secret;
    const [finding] = parseGithubSecretScanning([alert], {
      repository,
    }).findings;
    expect(finding.secret).toBeUndefined();
  });

  it('reads no alerts as an empty secret scan', () => {
    expect(parseGithubSecretScanning([], { repository })).toMatchObject({
      findings: [],
      coverage: ['secret'],
    });
  });

  it('names the place of an alert of another shape', () => {
    expect(() =>
      parseGithubSecretScanning([{ number: 'x' }], { repository }),
    ).toThrow(
      new InputError(
        'Invalid GitHub secret scanning alerts at [0].number: expected the alert number',
      ),
    );
    expect(() =>
      parseGithubSecretScanning([{ number: 1 }], { repository }),
    ).toThrow(/\[0\]\.secret_type: is missing/);
  });
});
