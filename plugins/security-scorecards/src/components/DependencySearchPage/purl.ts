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
  /** A version to narrow to; empty for every version. */
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

/**
 * The package URL a search stands for, or undefined without a package.
 * A name becomes `pkg:<ecosystem>/<name>` (a Maven `group:artifact` becomes
 * `group/artifact`, an npm scope is encoded as `%40scope`); the version, when
 * given and not already in the package URL, is appended.
 */
export function purlOfSearch(search: DependencySearch): string | undefined {
  const { q, ecosystem, version } = search;
  if (!q) return undefined;
  const versionPart = version ? `@${encodeURIComponent(version)}` : '';
  if (q.startsWith('pkg:')) {
    const lastSlash = q.lastIndexOf('/');
    const hasVersion = q.indexOf('@', lastSlash + 1) !== -1;
    return hasVersion ? q : `${q}${versionPart}`;
  }
  const name = ecosystem === 'maven' ? q.replace(/:/g, '/') : q;
  const path = name
    .split('/')
    .filter(Boolean)
    .map(segment => encodeURIComponent(segment))
    .join('/');
  return `pkg:${ecosystem}/${path}${versionPart}`;
}
