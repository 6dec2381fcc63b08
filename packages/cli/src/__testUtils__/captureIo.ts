import { CliIo } from '../io';

/** A CliIo that records what the CLI writes and how long it waits. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
  sleeps: number[];
}

export function captureIo(
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    tty?: boolean;
  } = {},
): CapturedIo {
  let out = '';
  let err = '';
  const sleeps: number[] = [];
  return {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    sleep: async ms => {
      sleeps.push(ms);
    },
    out: () => out,
    err: () => err,
    sleeps,
  };
}
