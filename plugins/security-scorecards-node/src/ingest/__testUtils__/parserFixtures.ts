/* Test helpers for the report parser tests: fixtures, counts, findings and thrown errors. */
import { NormalizedFinding } from '@secdevops/plugin-security-scorecards-common';
import fs from 'node:fs';
import path from 'node:path';

const fixturesDir = path.join(__dirname, '..', '__fixtures__');

/**
 * Reads a fixture as text, by its path under `__fixtures__`, whole or in parts:
 * `readFixtureText('cyclonedx/bom.xml')` or `readFixtureText('cyclonedx', 'bom.xml')`.
 */
export function readFixtureText(...pathParts: string[]): string {
  return fs.readFileSync(path.join(fixturesDir, ...pathParts), 'utf8');
}

/**
 * Reads and parses a JSON fixture, by its path under `__fixtures__`, whole or
 * in parts: `readFixture('sarif/no_runs.sarif')` or `readFixture('sarif', 'no_runs.sarif')`.
 */
export function readFixture(...pathParts: string[]): unknown {
  return JSON.parse(readFixtureText(...pathParts));
}

/** Every fixture file as `[format folder, file name]`, sorted; files beside the folders are left out. */
export function fixtureFiles(): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const folder of fs.readdirSync(fixturesDir).sort()) {
    const folderPath = path.join(fixturesDir, folder);
    if (!fs.statSync(folderPath).isDirectory()) continue;
    for (const file of fs.readdirSync(folderPath).sort()) {
      found.push([folder, file]);
    }
  }
  return found;
}

/**
 * Every JSON fixture of every format as `[format folder, file name, document]`,
 * for detection tests that must claim their own folder and nothing else.
 * XML fixtures (CycloneDX) are not JSON documents at all and are left out.
 */
export function allJsonFixtures(): Array<[string, string, unknown]> {
  const found: Array<[string, string, unknown]> = [];
  for (const [folder, file] of fixtureFiles()) {
    const text = readFixtureText(folder, file).trimStart();
    if (!text.startsWith('{') && !text.startsWith('[')) continue;
    found.push([folder, file, JSON.parse(text)]);
  }
  return found;
}

/** Every JSON fixture but the given ones, as `[relative path, document]`, for negative detection tests. */
export function otherJsonFixtures(
  ownFixtures: string[],
): Array<[string, unknown]> {
  return allJsonFixtures()
    .map(([folder, file, document]): [string, unknown] => [
      `${folder}/${file}`,
      document,
    ])
    .filter(([relativePath]) => !ownFixtures.includes(relativePath));
}

/**
 * How many items there are per value of a field, given by its name or by a
 * function; values are counted by their string form (`undefined` too).
 */
export function countBy<T>(
  items: readonly T[],
  key: keyof T | ((item: T) => unknown),
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const value = String(typeof key === 'function' ? key(item) : item[key]);
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/** The first finding of a rule (and package, when given); throws when there is none. */
export function findingOf(
  findings: NormalizedFinding[],
  ruleId: string,
  packageName?: string,
): NormalizedFinding {
  const found = findings.find(
    finding =>
      finding.ruleId === ruleId &&
      (packageName === undefined || finding.package?.name === packageName),
  );
  if (!found) throw new Error(`no finding ${ruleId} ${packageName ?? ''}`);
  return found;
}

/** A deep copy of a JSON value, for tests that edit a fixture. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** The error a parser call throws, or undefined; for asserting on InputError messages. */
export function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Matches an InputError whose message names the format and contains every
 * fragment, for `expect(errorOf(...)).toEqual(inputErrorWith(...))`.
 */
export function inputErrorWith(
  format: string,
  ...fragments: string[]
): unknown {
  const escaped = [format, ...fragments].map(
    fragment =>
      `(?=[\\s\\S]*${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`,
  );
  return expect.objectContaining({
    name: 'InputError',
    message: expect.stringMatching(new RegExp(`^${escaped.join('')}`)),
  });
}
