/**
 * What one list of GitHub alerts remembers for the next list of the same
 * alerts: the ETags of its pages (and the URLs of the pages after them, with
 * Dependabot's cursors), or why the alerts were unavailable. Never alerts.
 * The finding sources keep it as their state per entity, in the database of
 * the security scorecards backend, so it survives restarts and every backend
 * instance uses it.
 */
export type GithubAlertListState = {
  /** The URL of the first page: a list of other alerts starts afresh. */
  url: string;
  /**
   * When the alerts were last read in full, or first answered as unavailable
   * with the same reason (milliseconds since the epoch): the ETags expire
   * from then, even while GitHub keeps answering 304.
   */
  at: number;
} & (
  | {
      /**
       * Every page in order, the first one at `url`; empty when a page had
       * no ETag (then every list reads everything).
       */
      pages: GithubPageState[];
    }
  | {
      /** Why the kind of alerts is not switched on for the repository. */
      unavailable: string;
    }
);

/** One page of a list: its ETag and the URL of the next page, if any. */
export interface GithubPageState {
  etag: string;
  next?: string;
}

/** The version of the serialized state: another version is read as none. */
const VERSION = 1;
/** The most pages one list reads: 100,000 alerts at 100 a page. */
export const MAX_PAGES = 1000;

/** The state as the finding source keeps it. */
export function writeListState(state: GithubAlertListState): string {
  return JSON.stringify({ v: VERSION, ...state });
}

const isString = (value: unknown): value is string => typeof value === 'string';

function isPage(value: unknown): value is GithubPageState {
  if (typeof value !== 'object' || value === null) return false;
  const { etag, next } = value as Record<string, unknown>;
  return (
    isString(etag) && etag !== '' && (next === undefined || isString(next))
  );
}

/**
 * The state a finding source kept, or undefined (read everything) when there
 * is none or it is not one this version wrote: unparseable, another version,
 * or not the shape it should have.
 */
export function readListState(
  text: string | undefined,
): GithubAlertListState | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, url, at, pages, unavailable } = parsed as Record<string, unknown>;
  if (v !== VERSION || !isString(url) || typeof at !== 'number') {
    return undefined;
  }
  if (!Number.isFinite(at)) return undefined;
  if (isString(unavailable) && pages === undefined) {
    return { url, at, unavailable };
  }
  if (
    unavailable !== undefined ||
    !Array.isArray(pages) ||
    pages.length > MAX_PAGES ||
    !pages.every(isPage)
  ) {
    return undefined;
  }
  // A chain: every page but the last names the next one.
  if (pages.some((page, index) => index < pages.length - 1 !== !!page.next)) {
    return undefined;
  }
  return {
    url,
    at,
    pages: pages.map(({ etag, next }) => (next ? { etag, next } : { etag })),
  };
}
