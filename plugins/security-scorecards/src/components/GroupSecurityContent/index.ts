export { GroupSecurityContent } from './GroupSecurityContent';
