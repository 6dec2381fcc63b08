export { WaiversCard } from './WaiversCard';
export { WaiverRequestDialog } from './WaiverRequestDialog';
export { useWaiverMaxDays } from './useWaiverSettings';
export { draftFromFinding } from './scope';
export type { WaiverDraft } from './scope';
