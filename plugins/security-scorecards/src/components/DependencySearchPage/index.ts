export { DependencySearchPage } from './DependencySearchPage';
