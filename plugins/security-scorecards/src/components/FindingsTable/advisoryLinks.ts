/**
 * Where to read about an advisory or weakness id: NVD for CVEs, the GitHub
 * advisory database for GHSAs, MITRE for CWEs. Undefined for other ids.
 */
export function advisoryUrlOf(identifier: string): string | undefined {
  if (/^CVE-\d{4}-\d+$/i.test(identifier)) {
    return `https://nvd.nist.gov/vuln/detail/${identifier.toUpperCase()}`;
  }
  if (/^GHSA(-[0-9a-z]{4}){3}$/i.test(identifier)) {
    return `https://github.com/advisories/${identifier}`;
  }
  const cwe = identifier.match(/^CWE-(\d+)$/i);
  if (cwe) {
    return `https://cwe.mitre.org/data/definitions/${cwe[1]}.html`;
  }
  return undefined;
}
