/**
 * A package URL without its version, qualifiers and subpath: the package
 * itself, e.g. `pkg:npm/@babel/core` for `pkg:npm/@babel/core@7.24.0?x=y`.
 *
 * @public
 */
export function purlWithoutVersion(purl: string): string {
  const withoutSubpath = purl.split('#')[0];
  const withoutQualifiers = withoutSubpath.split('?')[0];
  const lastSlash = withoutQualifiers.lastIndexOf('/');
  const versionAt = withoutQualifiers.indexOf('@', lastSlash + 1);
  return versionAt === -1
    ? withoutQualifiers
    : withoutQualifiers.slice(0, versionAt);
}

/**
 * The version in a package URL, decoded, or undefined when it has none.
 *
 * @public
 */
export function versionOfPurl(purl: string): string | undefined {
  const withoutQualifiers = purl.split('#')[0].split('?')[0];
  const lastSlash = withoutQualifiers.lastIndexOf('/');
  const versionAt = withoutQualifiers.indexOf('@', lastSlash + 1);
  if (versionAt === -1) return undefined;
  return decodeURIComponent(withoutQualifiers.slice(versionAt + 1));
}
