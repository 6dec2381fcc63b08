import { createApiRef } from '@backstage/core-plugin-api';
import { ScanSummary } from '@secdevops/plugin-security-scorecards-common';

/**
 * Reads security scorecards data from the security scorecards backend.
 *
 * @public
 */
export interface SecurityScorecardsApi {
  /** The scans of an entity, newest first. */
  listScans(options: {
    entityRef: string;
    limit?: number;
  }): Promise<ScanSummary[]>;
}

/**
 * Reference to the {@link SecurityScorecardsApi}.
 *
 * @public
 */
export const securityScorecardsApiRef = createApiRef<SecurityScorecardsApi>({
  id: 'plugin.security-scorecards.api',
});
