export { DependenciesTable } from './DependenciesTable';
