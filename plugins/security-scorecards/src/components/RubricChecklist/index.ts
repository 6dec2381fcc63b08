export { RubricChecklist, groupChecksByLevel } from './RubricChecklist';
