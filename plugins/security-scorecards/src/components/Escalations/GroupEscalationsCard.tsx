import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { useOwnershipRefs } from '../../hooks/useOwnershipRefs';
import { EscalationsTable } from './EscalationsTable';
import { mineFirst } from './ordering';

/** The active escalations of a group's subtree, those of the user's groups first. */
export function GroupEscalationsCard(props: { groupRef: string }) {
  const { groupRef } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const ownership = useOwnershipRefs();
  const escalations = useAsync(
    () => securityScorecardsApi.listEscalations({ groupRef, state: 'active' }),
    [securityScorecardsApi, groupRef],
  );
  const rows = useMemo(
    () => mineFirst(escalations.value?.items ?? [], ownership.refs),
    [escalations.value, ownership.refs],
  );

  if (escalations.error) {
    return <ResponseErrorPanel error={escalations.error} />;
  }
  return (
    <EscalationsTable
      title="Escalations"
      subtitle="Active SLA escalations of the group and its sub-groups"
      rows={rows}
      loading={escalations.loading || ownership.loading}
      emptyMessage="No active escalations in this group or its sub-groups."
    />
  );
}
