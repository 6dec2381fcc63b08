import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Grid from '@material-ui/core/Grid';
import {
  Finding,
  securityScorecardsWaiverCreatePermission,
} from '@secdevops/plugin-security-scorecards-common';
import { useCallback, useState } from 'react';
import { DependenciesTable } from '../DependenciesTable';
import { FindingsTable } from '../FindingsTable';
import {
  draftFromFinding,
  useWaiverMaxDays,
  WaiverDraft,
  WaiverRequestDialog,
  WaiversCard,
} from '../Waivers';
import { EntityChecklistCard } from './EntityChecklistCard';
import { EntityHistoryCard } from './EntityHistoryCard';

/**
 * The "Security" tab of an entity: its maturity checks, score history,
 * findings, waivers and dependencies. Users allowed to request waivers can
 * do so from the waivers card or from a finding's details.
 *
 * @public
 */
export function EntitySecurityContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const canRequestWaiver = usePermission({
    permission: securityScorecardsWaiverCreatePermission,
    resourceRef: entityRef,
  }).allowed;
  const maxDays = useWaiverMaxDays();
  const [waiverDraft, setWaiverDraft] = useState<WaiverDraft>();
  // Bumped when waivers change, to reload the waivers and the findings.
  const [waiverChanges, setWaiverChanges] = useState(0);
  const waiversChanged = useCallback(
    () => setWaiverChanges(current => current + 1),
    [],
  );
  const requestForFinding = useCallback(
    (finding: Finding) => setWaiverDraft(draftFromFinding(finding)),
    [],
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={7}>
        <EntityChecklistCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} lg={5}>
        <EntityHistoryCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <FindingsTable
          entityRef={entityRef}
          refreshKey={waiverChanges}
          onRequestWaiver={canRequestWaiver ? requestForFinding : undefined}
        />
      </Grid>
      <Grid item xs={12}>
        <WaiversCard
          entityRef={entityRef}
          refreshKey={waiverChanges}
          onChanged={waiversChanged}
          onRequestWaiver={() => setWaiverDraft({ scopeType: 'rule' })}
        />
      </Grid>
      <Grid item xs={12}>
        <DependenciesTable entityRef={entityRef} />
      </Grid>
      {waiverDraft && (
        <WaiverRequestDialog
          entityRef={entityRef}
          draft={waiverDraft}
          maxDays={maxDays}
          onClose={() => setWaiverDraft(undefined)}
          onCreated={() => {
            setWaiverDraft(undefined);
            waiversChanged();
          }}
        />
      )}
    </Grid>
  );
}
