export { TrendIndicator } from './TrendIndicator';
