import {
  createSecretHasher,
  safeHttpUrl,
  safeHttpUrls,
  sha256Hex,
} from './normalize';
import { SCRIPT_URL } from './__testUtils__/unsafeUrls';

describe('safeHttpUrl', () => {
  it.each([
    [
      'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
      'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
    ],
    ['  http://Example.COM/a b  ', 'http://example.com/a%20b'],
    ['https://example.com', 'https://example.com/'],
  ])('keeps %j as %j', (value, expected) => {
    expect(safeHttpUrl(value)).toBe(expected);
  });

  it.each([
    SCRIPT_URL,
    SCRIPT_URL.replace('javascript', 'JavaScript'),
    ` ${SCRIPT_URL}`,
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com/a',
    'mailto:security@example.com',
    '//example.com/a',
    '/advisories/1',
    'CVE-2021-44228',
    'https://user:password@example.com/',
    'https://token@example.com/',
    'https://:password@example.com/',
    `https://example.com/${'a'.repeat(2048)}`,
    '',
  ])('drops %j', value => {
    expect(safeHttpUrl(value)).toBeUndefined();
  });

  it('drops values that are not strings', () => {
    for (const value of [undefined, null, 1, {}, ['https://example.com/']]) {
      expect(safeHttpUrl(value)).toBeUndefined();
    }
  });

  it('keeps the safe links of a list, once each, in order', () => {
    expect(
      safeHttpUrls([
        'https://b.example/',
        SCRIPT_URL,
        'https://a.example',
        'https://b.example/',
        7,
      ]),
    ).toEqual(['https://b.example/', 'https://a.example/']);
  });
});

describe('createSecretHasher', () => {
  it('hashes with the key: neither the plain SHA-256 nor the same for another key', () => {
    const hash = createSecretHasher('a key of at least 16 bytes');
    const other = createSecretHasher('another key of 16 bytes');
    expect(hash('hunter2')).toMatch(/^[0-9a-f]{64}$/);
    expect(hash('hunter2')).toBe(hash('hunter2'));
    expect(hash('hunter2')).not.toBe(sha256Hex('hunter2'));
    expect(hash('hunter2')).not.toBe(other('hunter2'));
  });

  it('refuses a short key', () => {
    expect(() => createSecretHasher('short')).toThrow(/at least 16 bytes/);
  });
});
