/**
 * Milliseconds in a day: SLAs, waiver lifetimes, trends and retention are
 * counted in days.
 *
 * @public
 */
export const DAY_MS = 24 * 60 * 60 * 1000;
