import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import { GroupEscalationsCard } from '../Escalations';
import { GroupScorecardView } from '../GroupScorecard';

/**
 * The "Security" tab of a group: the rollup of its whole subtree and its
 * active SLA escalations.
 *
 * @public
 */
export function GroupSecurityContent() {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity);
  return (
    <>
      <GroupScorecardView groupRef={groupRef} />
      <Box mt={3}>
        <GroupEscalationsCard groupRef={groupRef} />
      </Box>
    </>
  );
}
