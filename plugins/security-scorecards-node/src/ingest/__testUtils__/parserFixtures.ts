/* Test helpers for the report parser tests: fixtures, counts and thrown errors. */
import { NormalizedFinding } from '@secdevops/plugin-security-scorecards-common';
import fs from 'node:fs';
import path from 'node:path';

const fixturesDir = path.join(__dirname, '..', '__fixtures__');

/** Reads and parses a JSON fixture, e.g. `readFixture('sarif/no_runs.sarif')`. */
export function readFixture(relativePath: string): unknown {
  return JSON.parse(
    fs.readFileSync(path.join(fixturesDir, relativePath), 'utf8'),
  );
}

/** How many findings there are per value of a field. */
export function countBy(
  findings: NormalizedFinding[],
  keyOf: (finding: NormalizedFinding) => string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of findings) {
    const key = keyOf(finding);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Every JSON fixture but the given ones, as `[relative path, document]`, for negative detection tests. */
export function otherJsonFixtures(
  ownFixtures: string[],
): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  for (const folder of fs.readdirSync(fixturesDir).sort()) {
    const folderPath = path.join(fixturesDir, folder);
    if (!fs.statSync(folderPath).isDirectory()) continue;
    for (const file of fs.readdirSync(folderPath).sort()) {
      const relativePath = `${folder}/${file}`;
      if (ownFixtures.includes(relativePath)) continue;
      const text = fs
        .readFileSync(path.join(folderPath, file), 'utf8')
        .trimStart();
      // XML fixtures (CycloneDX) are not JSON documents at all.
      if (!text.startsWith('{') && !text.startsWith('[')) continue;
      found.push([relativePath, JSON.parse(text)]);
    }
  }
  return found;
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
