import { Range, SemVer } from 'semver';

/**
 * Package URL types whose versions are compared as semantic versions when a
 * search gives a range. Versions of other types (deb, apk, rpm, …) have their
 * own orderings: they are searched by exact version only.
 */
export const RANGE_ECOSYSTEMS: readonly string[] = [
  'npm',
  'cargo',
  'golang',
  'composer',
  'nuget',
  'gem',
  'pypi',
  'maven',
  'github',
];

/** Options of every comparison: `<2` includes `2.0.0-rc.1`, `v1.2.3` is `1.2.3`. */
const semverOptions = { loose: true, includePrerelease: true };

/**
 * Whether a searched version is a range (`<4.17.21`, `>=1.2.0 <2`, `^4.17.0`,
 * `~1.2`, `1.x`, `1.2 - 1.4`, `<1 || >=3`) rather than one exact version.
 */
export function isVersionRange(version: string): boolean {
  return (
    /[<>=^~*|\s]/.test(version.trim()) ||
    /(?:^|\.)x(?:\.|$)/i.test(version.trim())
  );
}

/** How the results of a search are narrowed by their version. */
export type VersionFilter =
  /** Every version: no version given, or the package URL has its own. */
  | { kind: 'any' }
  /** One version, matched by the backend as written (plain string). */
  | { kind: 'exact'; version: string }
  /** A semantic version range, applied to the results in the browser. */
  | { kind: 'range'; range: Range; text: string }
  /** A version field that cannot be used, with why. */
  | { kind: 'invalid'; message: string };

/** What the version field of a search asks for, in an ecosystem. */
export function versionFilterOf(
  version: string,
  ecosystem: string,
): VersionFilter {
  const text = version.trim();
  if (!text) return { kind: 'any' };
  if (!isVersionRange(text)) return { kind: 'exact', version: text };
  if (!RANGE_ECOSYSTEMS.includes(ecosystem)) {
    return {
      kind: 'invalid',
      message: `Version ranges are compared as semantic versions, which ${ecosystem} versions are not: give an exact version.`,
    };
  }
  try {
    return { kind: 'range', range: new Range(text, semverOptions), text };
  } catch {
    return {
      kind: 'invalid',
      message: `'${text}' is neither a version nor a version range such as <4.17.21, >=1.2.0 <2 or ^4.17.0.`,
    };
  }
}

/**
 * A package version as a semantic version, or undefined when it is not one:
 * a leading `v` is dropped and missing minor and patch numbers count as 0
 * (`2.19` is `2.19.0`, as PyPI and Maven write them).
 */
export function semverOf(version: string | undefined): SemVer | undefined {
  if (!version) return undefined;
  const text = version.trim().replace(/^v/i, '');
  const padded = /^\d+(?:\.\d+)?$/.test(text)
    ? `${text}${'.0'.repeat(2 - (text.match(/\./g)?.length ?? 0))}`
    : text;
  try {
    return new SemVer(padded, semverOptions);
  } catch {
    return undefined;
  }
}

/**
 * Splits the usages a search returned by a version range: those whose version
 * satisfies it, and how many have a version that cannot be compared (not a
 * semantic version, or none).
 */
export function filterByVersionRange<T extends { version?: string }>(
  items: T[],
  range: Range,
): { matching: T[]; incomparable: number } {
  const matching: T[] = [];
  let incomparable = 0;
  for (const item of items) {
    const version = semverOf(item.version);
    if (!version) incomparable += 1;
    else if (range.test(version)) matching.push(item);
  }
  return { matching, incomparable };
}
