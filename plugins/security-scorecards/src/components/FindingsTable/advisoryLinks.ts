/**
 * Where to read about an advisory or weakness id: NVD for CVEs, the GitHub
 * advisory database for GHSAs, MITRE for CWEs. Undefined for other ids.
 */
export function advisoryUrlOf(identifier: string): string | undefined {
  if (/^CVE-\d{4}-\d+$/i.test(identifier)) {
    return `https://nvd.nist.gov/vuln/detail/${identifier.toUpperCase()}`;
  }
  if (/^GHSA(?:-[0-9a-z]{4}){3}$/i.test(identifier)) {
    return `https://github.com/advisories/${identifier}`;
  }
  const cwe = identifier.match(/^CWE-(\d+)$/i);
  if (cwe) {
    return `https://cwe.mitre.org/data/definitions/${cwe[1]}.html`;
  }
  return undefined;
}

/**
 * A reference from a report as a link target, or undefined when it is not an
 * absolute `http:` or `https:` URL. The backend keeps only such links, but
 * findings stored by older versions may carry any scheme, and a
 * `javascript:` link must never reach an anchor.
 */
export function safeLinkOf(reference: string): string | undefined {
  try {
    const url = new URL(reference);
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}
