import { isVersionRange, VersionFilter, versionFilterOf } from './versionRange';

/** Package URL types offered when a package is searched by name. */
export const PURL_TYPES = [
  'npm',
  'pypi',
  'maven',
  'golang',
  'nuget',
  'gem',
  'cargo',
  'composer',
  'github',
  'deb',
  'apk',
  'rpm',
] as const;

/** What the dependency search asks for, as kept in the page URL. */
export interface DependencySearch {
  /** A package URL (`pkg:npm/lodash`) or a package name (`lodash`, `@babel/core`). */
  q: string;
  /** The package URL type of a name; ignored for a package URL. */
  ecosystem: string;
  /**
   * A version (`4.17.21`) or a version range (`<4.17.21`, `>=1.2.0 <2`,
   * `^4.17.0`) to narrow to; empty for every version.
   */
  version: string;
}

/** Reads the search from URL parameters `q`, `ecosystem` (default npm) and `version`. */
export function dependencySearchFrom(
  parameters: URLSearchParams,
): DependencySearch {
  return {
    q: (parameters.get('q') ?? '').trim(),
    ecosystem: parameters.get('ecosystem') || 'npm',
    version: (parameters.get('version') ?? '').trim(),
  };
}

/** Whether a package URL names a version (`pkg:npm/lodash@4.17.20`). */
function purlHasVersion(purl: string): boolean {
  return purl.indexOf('@', purl.lastIndexOf('/') + 1) !== -1;
}

/** The package URL type a search is in: that of its package URL, or its ecosystem. */
export function ecosystemOfSearch(search: DependencySearch): string {
  const type = /^pkg:([^/]+)\//.exec(search.q)?.[1];
  return type ? type.toLowerCase() : search.ecosystem;
}

/**
 * How a search narrows the versions: a package URL with its own version
 * wins over the version field, which is an exact version (matched by the
 * backend) or a range (applied to every version the backend returns).
 */
export function versionFilterOfSearch(search: DependencySearch): VersionFilter {
  if (search.q.startsWith('pkg:') && purlHasVersion(search.q)) {
    return { kind: 'any' };
  }
  return versionFilterOf(search.version, ecosystemOfSearch(search));
}

/**
 * The package URL a search stands for, or undefined without a package.
 * A name becomes `pkg:<ecosystem>/<name>` (a Maven `group:artifact` becomes
 * `group/artifact`, an npm scope is encoded as `%40scope`); an exact version,
 * when given and not already in the package URL, is appended. A version range
 * is not: the package URL then asks for every version.
 */
export function purlOfSearch(search: DependencySearch): string | undefined {
  const { q, ecosystem, version } = search;
  if (!q) return undefined;
  const versionPart =
    version && !isVersionRange(version)
      ? `@${encodeURIComponent(version)}`
      : '';
  if (q.startsWith('pkg:')) {
    return purlHasVersion(q) ? q : `${q}${versionPart}`;
  }
  const name = ecosystem === 'maven' ? q.replace(/:/g, '/') : q;
  const path = name
    .split('/')
    .filter(Boolean)
    .map(segment => encodeURIComponent(segment))
    .join('/');
  return `pkg:${ecosystem}/${path}${versionPart}`;
}
