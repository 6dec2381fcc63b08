export { EscalationsPage } from './EscalationsPage';
export { GroupEscalationsCard } from './GroupEscalationsCard';
