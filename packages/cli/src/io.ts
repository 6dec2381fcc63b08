/**
 * Where the CLI writes, what it reads from its environment, and how it waits:
 * the process's own in production, fakes in tests.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** The directory relative file paths are resolved from. */
  cwd: string;
  /** Waits between retries. */
  sleep(ms: number): Promise<void>;
}

/** The part of a writable stream the CLI uses. */
export interface OutputStream {
  write(text: string): unknown;
  /** True on an interactive terminal. */
  isTTY?: boolean;
}

/** The process's streams, environment and clock. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
  };
}

/** Whether progress may redraw a line in place: a terminal, and not CI. */
export function isInteractive(io: CliIo): boolean {
  return Boolean(io.stderr.isTTY) && !isTruthy(io.env.CI);
}

function isTruthy(value: string | undefined): boolean {
  return (
    value !== undefined && value !== '' && value !== '0' && value !== 'false'
  );
}

/** How a command prints its result. */
export type OutputFormat = 'text' | 'json';

/** Prints a value as JSON on stdout, for machines. */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
