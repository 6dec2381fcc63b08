import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CollectorStatus } from '@secdevops/plugin-security-scorecards-common';
import { timeAgo } from '../format';

function When(props: { time: string }) {
  return (
    <span title={new Date(props.time).toLocaleString()}>
      {timeAgo(props.time)}
    </span>
  );
}

/**
 * How the pull collectors that apply to an entity last ran: the source, the
 * last run and last success, and the error of a failing one in red.
 */
export function CollectorStatusList(props: { collectors: CollectorStatus[] }) {
  const collectors = [...props.collectors].sort((a, b) =>
    a.sourceId.localeCompare(b.sourceId),
  );
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" gutterBottom>
        Pull collectors
      </Typography>
      <ul
        aria-label="Pull collectors"
        style={{ listStyle: 'none', margin: 0, padding: 0 }}
      >
        {collectors.map(collector => (
          <Box component="li" key={collector.sourceId} mb={1}>
            <Typography variant="body2">
              <strong>{collector.sourceId}</strong>
              {' · last run '}
              <When time={collector.lastRunAt} />
              {collector.error && collector.lastSuccessAt && (
                <>
                  {', last success '}
                  <When time={collector.lastSuccessAt} />
                </>
              )}
            </Typography>
            {collector.error && (
              <Typography
                variant="caption"
                color="error"
                component="div"
                style={{ wordBreak: 'break-word' }}
              >
                Failed: {collector.error}
              </Typography>
            )}
          </Box>
        ))}
      </ul>
    </Box>
  );
}
