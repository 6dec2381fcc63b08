import { CliIo, isInteractive } from './io';

/** Uploads smaller than this (as sent) show no progress. */
export const PROGRESS_THRESHOLD_BYTES = 1024 * 1024;

/**
 * Reports how much of an upload has been sent, on stderr: one line redrawn in
 * place on a terminal, a plain line at each quarter elsewhere (CI logs).
 * Returns undefined for small uploads.
 */
export function createProgress(
  io: CliIo,
  label: string,
  totalBytes: number,
  thresholdBytes = PROGRESS_THRESHOLD_BYTES,
): ((sentBytes: number) => void) | undefined {
  if (totalBytes < thresholdBytes || totalBytes === 0) return undefined;
  const interactive = isInteractive(io);
  const step = interactive ? 1 : 25;
  let shown = 0;
  return sentBytes => {
    const sent = Math.min(sentBytes, totalBytes);
    const percent = Math.floor((sent / totalBytes) * 100);
    const reached = percent - (percent % step);
    if (reached <= shown) return;
    shown = reached;
    const line = `${label}: ${reached}% (${formatBytes(sent)} of ${formatBytes(
      totalBytes,
    )})`;
    io.stderr.write(
      interactive ? `\r${line}${reached === 100 ? '\n' : ''}` : `${line}\n`,
    );
  };
}

/** 512 B, 1.5 KB, 12.3 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
