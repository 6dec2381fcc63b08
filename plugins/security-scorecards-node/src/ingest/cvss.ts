/**
 * CVSS 3.x base score calculation, for reports that give only a vector
 * (OSV records carry `CVSS:3.1/...` strings without a score).
 *
 * Follows the FIRST CVSS v3.1 specification, section 7.1 and Appendix A
 * (the integer based Roundup). The base equations of 3.0 and 3.1 are the same;
 * 3.1 only made Roundup immune to floating point error, so it is used for both.
 */

const attackVector: Record<string, number> = {
  N: 0.85,
  A: 0.62,
  L: 0.55,
  P: 0.2,
};
const attackComplexity: Record<string, number> = { L: 0.77, H: 0.44 };
const privilegesRequiredScopeUnchanged: Record<string, number> = {
  N: 0.85,
  L: 0.62,
  H: 0.27,
};
const privilegesRequiredScopeChanged: Record<string, number> = {
  N: 0.85,
  L: 0.68,
  H: 0.5,
};
const userInteraction: Record<string, number> = { N: 0.85, R: 0.62 };
const impactWeight: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

const baseMetricValues: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
};

/**
 * The smallest number with one decimal that is equal to or higher than the
 * input, computed on integers so that e.g. 4.000000000000001 is 4.0, not 4.1.
 */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  if (scaled % 10000 === 0) return scaled / 100000;
  return (Math.floor(scaled / 10000) + 1) / 10;
}

/**
 * The CVSS version of a vector string: `3.0`, `3.1`, `4.0` or `2.0` (a vector
 * with `Au:` and no prefix), or undefined when it is not recognisable.
 */
export function cvssVersionOfVector(vector: string): string | undefined {
  const prefix = vector.match(/^CVSS:(\d+\.\d+)\//);
  if (prefix) return prefix[1];
  if (/(?:^|\/)Au:[MSN](?:\/|$)/.test(vector)) return '2.0';
  return undefined;
}

/**
 * Computes the CVSS 3.x base score of a vector such as
 * `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` (9.8).
 *
 * Temporal and environmental metrics in the vector are allowed and do not
 * change the base score. Returns undefined for a vector that is not a valid
 * CVSS 3.0/3.1 vector (another version, a missing, repeated or unknown base
 * metric), because a report's unreadable vector should not fail the upload.
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const trimmed = vector.trim();
  const prefix = trimmed.match(/^CVSS:(\d+\.\d+)\//);
  if (prefix && prefix[1] !== '3.0' && prefix[1] !== '3.1') return undefined;
  const body = prefix ? trimmed.slice(prefix[0].length) : trimmed;

  const metrics = new Map<string, string>();
  for (const part of body.split('/')) {
    const match = part.match(/^([A-Z]+):([A-Z])$/);
    if (!match || metrics.has(match[1])) return undefined;
    metrics.set(match[1], match[2]);
  }
  for (const [metric, allowed] of Object.entries(baseMetricValues)) {
    const value = metrics.get(metric);
    if (value === undefined || !allowed.includes(value)) return undefined;
  }
  const metric = (name: string) => metrics.get(name) as string;

  const scopeChanged = metric('S') === 'C';
  const impactSubScore =
    1 -
    (1 - impactWeight[metric('C')]) *
      (1 - impactWeight[metric('I')]) *
      (1 - impactWeight[metric('A')]);
  const impact = scopeChanged
    ? 7.52 * (impactSubScore - 0.029) -
      3.25 * Math.pow(impactSubScore - 0.02, 15)
    : 6.42 * impactSubScore;
  const privilegesRequired = scopeChanged
    ? privilegesRequiredScopeChanged
    : privilegesRequiredScopeUnchanged;
  const exploitability =
    8.22 *
    attackVector[metric('AV')] *
    attackComplexity[metric('AC')] *
    privilegesRequired[metric('PR')] *
    userInteraction[metric('UI')];

  if (impact <= 0) return 0;
  const combined = scopeChanged
    ? 1.08 * (impact + exploitability)
    : impact + exploitability;
  return roundUp(Math.min(combined, 10));
}
