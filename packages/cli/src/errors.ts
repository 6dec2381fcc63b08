/**
 * An error the CLI reports with its message alone, and exits with 2: a usage
 * mistake, an unreadable file, an unreachable server, an HTTP error.
 */
export class CliError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The message of anything thrown (Node's own errors included, whatever their realm). */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String(error.message);
  }
  return String(error);
}
