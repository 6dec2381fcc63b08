export { EntitySecurityScorecardCard } from './EntitySecurityScorecardCard';
