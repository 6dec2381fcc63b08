import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { REPORT_FORMATS } from '@secdevops/plugin-security-scorecards-node';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ClientOptions } from '../client';
import { CliError, errorMessage } from '../errors';
import { CliIo, OutputFormat, writeJson } from '../io';

/** Options every command that talks to the backend takes. */
export interface ConnectionOptions {
  url?: string;
  tokenFile?: string;
  /** Refused: a token on the command line shows in process listings. */
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
  return (
    command
      .option(
        '--url <url>',
        'the Backstage backend URL (default: $BACKSTAGE_URL)',
      )
      .option(
        '--token-file <path>',
        'a file holding the Backstage token, sent as a bearer token (default: the token in $BACKSTAGE_TOKEN)',
      )
      // Only to refuse it with a message that says what to do instead.
      .addOption(new Option('--token <token>').hideHelp())
      .option(
        '--max-attempts <n>',
        'attempts per request; HTTP 429, 5xx and dropped connections are retried with backoff',
        parseAttempts,
        DEFAULT_MAX_ATTEMPTS,
      )
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

/**
 * The backend URL, token and retry policy, from the flags or the environment.
 * Warns on stderr when the token would cross the network unencrypted.
 */
export async function clientOptions(
  options: ConnectionOptions,
  io: CliIo,
): Promise<ClientOptions> {
  const url = options.url ?? io.env.BACKSTAGE_URL;
  if (!url) {
    throw new CliError(
      'No Backstage URL: pass --url or set BACKSTAGE_URL, e.g. https://backstage.example.com',
    );
  }
  const baseUrl = parseUrl(url, options.url ? '--url' : 'BACKSTAGE_URL');
  const token = await resolveToken(options, io);
  if (token && baseUrl.protocol === 'http:' && !isLoopback(baseUrl)) {
    io.stderr.write(
      `Warning: sending the Backstage token over plain http to ${baseUrl.host}: anyone on the way can read and reuse it. Use an https URL.\n`,
    );
  }
  return {
    baseUrl,
    token,
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

/**
 * The token from --token-file, else from $BACKSTAGE_TOKEN. Never from the
 * command line: other users of the machine see it in process listings, and
 * CI systems log commands.
 */
async function resolveToken(
  options: ConnectionOptions,
  io: CliIo,
): Promise<string | undefined> {
  if (options.token !== undefined) {
    throw new CliError(
      '--token is not accepted: a token on the command line shows in process listings and CI logs. Set BACKSTAGE_TOKEN or pass --token-file <path> instead.',
    );
  }
  if (options.tokenFile === undefined) {
    return io.env.BACKSTAGE_TOKEN || undefined;
  }
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, options.tokenFile), 'utf8');
  } catch (error) {
    throw new CliError(
      `Cannot read --token-file ${options.tokenFile}: ${errorMessage(error)}`,
    );
  }
  const token = text.trim();
  if (!token) {
    throw new CliError(`--token-file ${options.tokenFile} is empty`);
  }
  if (/\s/.test(token)) {
    throw new CliError(
      `--token-file ${options.tokenFile} must hold the token alone, on one line`,
    );
  }
  return token;
}

/** Whether the URL points at this machine, where plain http stays local. */
function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(
    url.hostname.toLocaleLowerCase('en-US'),
  );
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
