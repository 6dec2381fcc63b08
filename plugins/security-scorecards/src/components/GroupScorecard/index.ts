export { GroupScorecardView } from './GroupScorecardView';
