import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { useRubric } from '../../hooks/useRubric';
import { ScoreHistoryChart } from '../ScoreHistoryChart';
import { shortRef } from '../format';
import { ChildGroupsTable } from './ChildGroupsTable';
import { ComplianceGrid } from './ComplianceGrid';
import { DownloadCsvButton } from './DownloadCsvButton';
import { LowestEntitiesTable } from './LowestEntitiesTable';
import { MttrCard } from './MttrCard';
import { RollupSummary } from './RollupSummary';

/** The target level from the URL parameter `target`, when it is a whole number. */
export function targetLevelFrom(
  parameters: URLSearchParams,
): number | undefined {
  const value = parameters.get('target');
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * The security rollup of a group's whole subtree, or of the organisation
 * without a group: figures, trend, teams side by side, compliance grid and the
 * lowest-scoring entities. The target level is kept in the URL (`target`).
 *
 * @public
 */
export function GroupScorecardView(props: { groupRef?: string }) {
  const { groupRef } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const rubric = useRubric();
  const [searchParameters, setSearchParameters] = useSearchParams();
  const targetLevel = targetLevelFrom(searchParameters);
  const scorecard = useAsync(
    () =>
      securityScorecardsApi.getGroupScorecard({
        entityRef: groupRef,
        targetLevel,
      }),
    [securityScorecardsApi, groupRef, targetLevel],
  );
  const setTargetLevel = useCallback(
    (level: number) =>
      setSearchParameters(
        current => {
          const next = new URLSearchParams(current);
          next.set('target', String(level));
          return next;
        },
        { replace: true },
      ),
    [setSearchParameters],
  );

  if (scorecard.loading) return <Progress />;
  if (scorecard.error) return <ResponseErrorPanel error={scorecard.error} />;
  const value = scorecard.value;
  if (!value) return null;
  const levels = rubric.value?.levels;
  const title =
    value.title ?? (groupRef ? shortRef(groupRef) : 'Whole organisation');

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={8}>
        <InfoCard
          title={title}
          subheader={
            groupRef
              ? 'Every entity owned in the group and its sub-groups'
              : 'Every entity of the organisation'
          }
          action={<DownloadCsvButton groupRef={groupRef} />}
          variant="gridItem"
        >
          {value.entityCount === 0 ? (
            <EmptyState
              missing="data"
              title="No entities"
              description="No catalog entity is owned in this part of the organisation yet."
            />
          ) : (
            <RollupSummary
              scorecard={value}
              levels={levels}
              onTargetChange={setTargetLevel}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={4}>
        <MttrCard mttrDays={value.mttrDays} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Trend"
          subheader="Average score and open findings, last 90 days"
        >
          <ScoreHistoryChart points={value.trend} />
        </InfoCard>
      </Grid>
      {value.children.length > 0 && (
        <Grid item xs={12}>
          <ChildGroupsTable groups={value.children} levels={levels} />
        </Grid>
      )}
      {value.compliance.length > 0 && (
        <Grid item xs={12}>
          <ComplianceGrid rows={value.compliance} groups={value.children} />
        </Grid>
      )}
      <Grid item xs={12}>
        <LowestEntitiesTable entities={value.lowestEntities} />
      </Grid>
    </Grid>
  );
}
