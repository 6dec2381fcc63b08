import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import {
  Escalation,
  EscalationState,
} from '@secdevops/plugin-security-scorecards-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { useOwnershipRefs } from '../../hooks/useOwnershipRefs';
import { GroupPicker } from '../SecurityScorecardsPage/GroupPicker';
import { EscalationsTable } from './EscalationsTable';
import { mineFirst } from './ordering';

/** The state filter from the URL parameter `state`: `active` unless it says `closed`. */
export function escalationStateFrom(
  parameters: URLSearchParams,
): EscalationState {
  return parameters.get('state') === 'closed' ? 'closed' : 'active';
}

/** "3 active escalations: 1 at level 3, 2 at level 1; 2 for your teams". */
export function summarizeEscalations(
  escalations: Array<Escalation & { mine: boolean }>,
  state: EscalationState,
): string {
  const total = `${escalations.length} ${state} ${
    escalations.length === 1 ? 'escalation' : 'escalations'
  }`;
  if (escalations.length === 0) return total;
  const perLevel = new Map<number, number>();
  for (const escalation of escalations) {
    perLevel.set(escalation.level, (perLevel.get(escalation.level) ?? 0) + 1);
  }
  const levels = [...perLevel.entries()]
    .sort(([a], [b]) => b - a)
    .map(([level, count]) => `${count} at level ${level}`)
    .join(', ');
  const mine = escalations.filter(escalation => escalation.mine).length;
  return `${total}: ${levels}${mine > 0 ? `; ${mine} for your teams` : ''}`;
}

/**
 * SLA escalations of the organisation, or of a group's subtree
 * (`?group=group:default/x`), active ones by default (`?state=closed` for the
 * closed ones). Those of the signed-in user's groups come first.
 *
 * @public
 */
export function EscalationsPage() {
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const [searchParameters, setSearchParameters] = useSearchParams();
  const groupRef = searchParameters.get('group') || undefined;
  const state = escalationStateFrom(searchParameters);
  const ownership = useOwnershipRefs();

  const escalations = useAsync(
    () => securityScorecardsApi.listEscalations({ groupRef, state }),
    [securityScorecardsApi, groupRef, state],
  );
  const rows = useMemo(
    () => mineFirst(escalations.value?.items ?? [], ownership.refs),
    [escalations.value, ownership.refs],
  );

  const setParameter = useCallback(
    (name: string, value: string | undefined) =>
      setSearchParameters(current => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      }),
    [setSearchParameters],
  );

  const loading = escalations.loading || ownership.loading;
  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        mb={2}
        style={{ gap: 16 }}
      >
        <GroupPicker
          value={groupRef}
          onChange={group => setParameter('group', group)}
          placeholder="All groups"
        />
        <FormControl variant="outlined" size="small" style={{ minWidth: 150 }}>
          <InputLabel id="escalations-state">State</InputLabel>
          <Select
            id="escalations-state-select"
            labelId="escalations-state"
            label="State"
            value={state}
            onChange={event =>
              setParameter(
                'state',
                event.target.value === 'closed' ? 'closed' : undefined,
              )
            }
          >
            <MenuItem value="active">Active</MenuItem>
            <MenuItem value="closed">Closed</MenuItem>
          </Select>
        </FormControl>
      </Box>
      {escalations.error && <ResponseErrorPanel error={escalations.error} />}
      {!loading && !escalations.error && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {summarizeEscalations(rows, state)}
        </Typography>
      )}
      {!escalations.error && (
        <EscalationsTable
          title={
            state === 'active' ? 'Active escalations' : 'Closed escalations'
          }
          subtitle="Entities with findings past their SLA, climbing the owner's group hierarchy"
          rows={loading ? [] : rows}
          loading={loading}
          emptyMessage={
            state === 'active'
              ? 'No active escalations: no finding here is past its SLA.'
              : 'No closed escalations.'
          }
        />
      )}
    </>
  );
}
