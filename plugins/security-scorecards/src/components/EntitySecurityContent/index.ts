export { EntitySecurityContent } from './EntitySecurityContent';
