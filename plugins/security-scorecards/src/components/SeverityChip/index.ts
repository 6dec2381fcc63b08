export { SeverityChip } from './SeverityChip';
