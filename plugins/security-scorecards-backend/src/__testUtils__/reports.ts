import fs from 'node:fs';
import path from 'node:path';

const fixturesDirectory = path.resolve(
  __dirname,
  '../../../security-scorecards-node/src/ingest/__fixtures__',
);

/** Reads a report from the ingest fixtures of the security-scorecards-node package. */
export function reportFixture(relativePath: string): Buffer {
  return fs.readFileSync(path.join(fixturesDirectory, relativePath));
}
