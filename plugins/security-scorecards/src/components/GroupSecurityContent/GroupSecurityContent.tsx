import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { GroupScorecardView } from '../GroupScorecard';

/**
 * The "Security" tab of a group: the rollup of its whole subtree.
 *
 * @public
 */
export function GroupSecurityContent() {
  const { entity } = useEntity();
  return <GroupScorecardView groupRef={stringifyEntityRef(entity)} />;
}
