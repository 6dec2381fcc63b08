import { CustomErrorBase } from '@backstage/errors';

/**
 * Thrown when a report says its scanner did not finish: a SARIF run without
 * `results`, or whose invocation reports `executionSuccessful: false`; an
 * `npm audit --json` error object. Such a report is no evidence that findings
 * were fixed; the backend answers it with HTTP 422 and records the scan as
 * failed.
 *
 * @public
 */
export class FailedScanError extends CustomErrorBase {
  name = 'FailedScanError' as const;

  constructor(
    message: string,
    /** The scanner's own reason, e.g. "Out of memory", when it gave one. */
    readonly reason?: string,
    /** The scanner's name, when the report names it. */
    readonly tool?: string,
  ) {
    super(message);
  }
}

/** The longest scanner reason kept: it is shown in an HTTP answer and the scan history. */
const MAX_REASON_LENGTH = 500;

/** A scanner's reason for failing as one bounded line of plain text. */
export function failureReasonOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_LENGTH
    ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…`
    : line;
}
