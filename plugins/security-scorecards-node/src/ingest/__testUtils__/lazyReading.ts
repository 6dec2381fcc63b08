/* Test helper for the report parser tests: a report read as `readReport` reads it. */
import { LazyJsonPath, readJsonLazily } from '../lazyJson';

/**
 * A report read as `readReport` reads it, its lists kept lazy: the document
 * `readJsonLazily` makes of it with these lazy paths (a format's own, or
 * `ALL_JSON_LAZY_PATHS` as `format=auto` reads it), the default nesting limit
 * of 64, and the label its errors name (`'grype report'`).
 */
export function readLazily(
  text: string | Buffer,
  lazyPaths: readonly LazyJsonPath[],
  label: string,
): unknown {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return readJsonLazily(bytes, { lazyPaths, maxDepth: 64, label }).document;
}
