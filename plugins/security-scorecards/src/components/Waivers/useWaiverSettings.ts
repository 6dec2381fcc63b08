import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';

/** The backend's default for `securityScorecards.waivers.maxDays`. */
export const DEFAULT_WAIVER_MAX_DAYS = 90;

/**
 * How far ahead a waiver may expire: `securityScorecards.waivers.maxDays`
 * when the app's frontend configuration has it, else the backend's default.
 */
export function useWaiverMaxDays(): number {
  const config = useApiHolder().get(configApiRef);
  const maxDays = config?.getOptionalNumber(
    'securityScorecards.waivers.maxDays',
  );
  return maxDays && maxDays > 0 ? maxDays : DEFAULT_WAIVER_MAX_DAYS;
}
