import { useCallback, useState } from 'react';

/** The part of a material-table remote query the plugin's tables read. */
export interface RemoteTableQuery {
  page: number;
  pageSize: number;
  search: string;
  orderBy?: { field?: unknown };
  orderDirection?: string;
}

/**
 * Turns a page loader into the `data` function of a Backstage `Table` with
 * server-side paging, and keeps the last load error to show above the table
 * (the table itself shows none).
 *
 * @param loadPage - Loads one page; memoize it, a new function reloads the table.
 */
export function useRemoteTableData<T extends object>(
  loadPage: (
    query: RemoteTableQuery,
  ) => Promise<{ items: T[]; totalCount: number }>,
) {
  const [error, setError] = useState<Error>();
  const data = useCallback(
    async (query: RemoteTableQuery) => {
      try {
        const { items, totalCount } = await loadPage(query);
        setError(undefined);
        return { data: items, page: query.page, totalCount };
      } catch (loadError) {
        setError(loadError as Error);
        return { data: [], page: 0, totalCount: 0 };
      }
    },
    [loadPage],
  );
  return { data, error };
}
