export { FindingsTable, findingFiltersFrom } from './FindingsTable';
export type { FindingFilters } from './FindingsTable';
