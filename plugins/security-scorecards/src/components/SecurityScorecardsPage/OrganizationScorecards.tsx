import Box from '@material-ui/core/Box';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { GroupScorecardView } from '../GroupScorecard';
import { GroupPicker } from './GroupPicker';

/**
 * The organisation's scorecards, or any group's with `?group=group:default/x`,
 * picked from the catalog's groups.
 *
 * @public
 */
export function OrganizationScorecards() {
  const [searchParameters, setSearchParameters] = useSearchParams();
  const groupRef = searchParameters.get('group') || undefined;
  const setGroup = useCallback(
    (group: string | undefined) =>
      setSearchParameters(current => {
        const next = new URLSearchParams(current);
        if (group) next.set('group', group);
        else next.delete('group');
        return next;
      }),
    [setSearchParameters],
  );
  return (
    <>
      <Box mb={2}>
        <GroupPicker value={groupRef} onChange={setGroup} />
      </Box>
      <GroupScorecardView groupRef={groupRef} />
    </>
  );
}
