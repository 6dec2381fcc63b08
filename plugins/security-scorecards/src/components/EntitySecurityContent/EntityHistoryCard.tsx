import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { ScoreHistoryChart } from '../ScoreHistoryChart';

/** Days of history the Security tab shows. */
export const historyDays = 90;

/** The score and open findings of an entity over the last 90 days. */
export function EntityHistoryCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const history = useAsync(
    () =>
      securityScorecardsApi.getScorecardHistory({
        entityRef,
        days: historyDays,
      }),
    [securityScorecardsApi, entityRef],
  );

  let content: JSX.Element;
  if (history.loading) {
    content = <Progress />;
  } else if (history.error) {
    content = <ResponseErrorPanel error={history.error} />;
  } else {
    content = <ScoreHistoryChart points={history.value?.items ?? []} />;
  }

  return (
    <InfoCard title="History" subheader={`Last ${historyDays} days`}>
      {content}
    </InfoCard>
  );
}
