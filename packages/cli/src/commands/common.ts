import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { REPORT_FORMATS } from '@secdevops/plugin-security-scorecards-node';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ClientOptions } from '../client';
import { CliError, errorMessage } from '../errors';
import { CliIo, OutputFormat, writeJson } from '../io';

/** Options every command that talks to the backend takes. */
export interface ConnectionOptions {
  url?: string;
  token?: string;
  maxAttempts: number;
}

/** Options that describe the pipeline run a scan or gate belongs to. */
export interface ScanContextOptions {
  source?: string;
  commit?: string;
  branch?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

export function outputOption(): Option {
  return new Option('-o, --output <format>', 'print text, or JSON for machines')
    .choices(['text', 'json'])
    .default('text');
}

export function formatOption(
  description = 'the report format; auto recognises it from the content',
): Option {
  return new Option('--format <format>', description)
    .choices(['auto', ...REPORT_FORMATS])
    .default('auto');
}

export function addConnectionOptions(command: Command): Command {
  return command
    .option(
      '--url <url>',
      'the Backstage backend URL (default: $BACKSTAGE_URL)',
    )
    .option(
      '--token <token>',
      'a Backstage token, sent as a bearer token (default: $BACKSTAGE_TOKEN)',
    )
    .option(
      '--max-attempts <n>',
      'attempts per request; HTTP 429, 5xx and dropped connections are retried with backoff',
      parseAttempts,
      DEFAULT_MAX_ATTEMPTS,
    );
}

export function addScanContextOptions(command: Command): Command {
  return command
    .option(
      '--source <source>',
      "the scope a scan replaces (default: the scanner's name)",
    )
    .option('--commit <sha>', 'the commit that was scanned')
    .option('--branch <branch>', 'the branch that was scanned');
}

function parseAttempts(value: string): number {
  const attempts = Number(value);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) {
    throw new InvalidArgumentError('Must be a whole number from 1 to 20.');
  }
  return attempts;
}

export function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) {
    throw new InvalidArgumentError('Must be a whole number, 0 or more.');
  }
  return count;
}

/** The backend URL, token and retry policy, from the flags or the environment. */
export function clientOptions(
  options: ConnectionOptions,
  io: CliIo,
): ClientOptions {
  const url = options.url ?? io.env.BACKSTAGE_URL;
  if (!url) {
    throw new CliError(
      'No Backstage URL: pass --url or set BACKSTAGE_URL, e.g. https://backstage.example.com',
    );
  }
  const baseUrl = parseUrl(url, options.url ? '--url' : 'BACKSTAGE_URL');
  return {
    baseUrl,
    token: options.token ?? (io.env.BACKSTAGE_TOKEN || undefined),
    retry: {
      maxAttempts: options.maxAttempts,
      sleep: io.sleep,
      onRetry: ({ attempt, delayMs, reason }) =>
        io.stderr.write(
          `${reason}; retrying in ${formatDelay(delayMs)} (attempt ${
            attempt + 1
          } of ${options.maxAttempts})\n`,
        ),
    },
  };
}

/** Reads an http(s) URL, or fails naming where it came from. */
export function parseUrl(value: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`Invalid URL '${value}' (from ${from})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(
      `Invalid URL '${value}' (from ${from}): expected http or https`,
    );
  }
  return url;
}

/** A full entity reference, e.g. `component:default/payments-api`. */
export function parseEntity(value: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new CliError(
      `--entity must be an entity reference like component:default/payments-api; got '${value}' (${errorMessage(
        error,
      )})`,
    );
  }
}

/**
 * Runs a command's work and turns its outcome into an exit code; a failure is
 * reported on stderr, and also as JSON on stdout with `--output json`.
 */
export async function runReporting(
  io: CliIo,
  output: OutputFormat,
  work: () => Promise<number>,
): Promise<number> {
  try {
    return await work();
  } catch (error) {
    const known = error instanceof CliError;
    const message = known
      ? error.message
      : `Unexpected error: ${(error as Error)?.stack ?? error}`;
    io.stderr.write(`Error: ${message}\n`);
    if (output === 'json') {
      writeJson(io, { error: { message: errorMessage(error) } });
    }
    return 2;
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Examples shown after a command's options in `--help`. */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map(line => `  $ ${line}`).join('\n')}\n`;
}
