import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { useRubric } from '../../hooks/useRubric';
import { LevelBadge } from '../LevelBadge';
import { RubricChecklist } from '../RubricChecklist';
import { formatScore } from '../format';

/** The rubric checklist of an entity, with its level and score. */
export function EntityChecklistCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const rubric = useRubric();
  const scorecard = useAsync(
    () => securityScorecardsApi.getEntityScorecard({ entityRef }),
    [securityScorecardsApi, entityRef],
  );

  let content: JSX.Element;
  if (scorecard.loading || rubric.loading) {
    content = <Progress />;
  } else if (scorecard.error || !scorecard.value) {
    content = (
      <ResponseErrorPanel
        error={scorecard.error ?? new Error('No scorecard')}
      />
    );
  } else {
    content = (
      <>
        <Box display="flex" alignItems="center" mb={2} style={{ gap: 12 }}>
          <LevelBadge level={scorecard.value.level} size="large" />
          <Typography variant="h6" component="span">
            Score {formatScore(scorecard.value.score)} / 100
          </Typography>
        </Box>
        {scorecard.value.reason && (
          <Typography variant="body2" color="textSecondary" paragraph>
            {scorecard.value.reason}
          </Typography>
        )}
        <RubricChecklist
          checks={scorecard.value.checks}
          levels={rubric.value?.levels}
        />
      </>
    );
  }

  return (
    <InfoCard
      title="Maturity checks"
      subheader="A level is reached when its checks and those of every level below pass"
    >
      {content}
    </InfoCard>
  );
}
