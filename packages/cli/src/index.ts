/**
 * The security-scorecards command-line tool: uploads scans from CI, validates
 * reports locally and breaks the build on policy.
 *
 * @packageDocumentation
 */
import { runCli } from './cli';
import { processIo } from './io';

runCli(process.argv.slice(2), processIo()).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`Error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
