import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import TrendingDownIcon from '@material-ui/icons/TrendingDown';
import TrendingFlatIcon from '@material-ui/icons/TrendingFlat';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import { ScoreTrend } from '@secdevops/plugin-security-scorecards-common';
import { formatScore } from '../format';

/** How a score moved over a period: an arrow and the change, "+5 in 30 days". */
export function TrendIndicator(props: { trend: ScoreTrend }) {
  const { trend } = props;
  let icon = <TrendingFlatIcon fontSize="small" color="disabled" />;
  let colour: 'textSecondary' | 'error' | 'primary' = 'textSecondary';
  if (trend.direction === 'up') {
    icon = <TrendingUpIcon fontSize="small" style={{ color: '#43a047' }} />;
    colour = 'primary';
  } else if (trend.direction === 'down') {
    icon = <TrendingDownIcon fontSize="small" color="error" />;
    colour = 'error';
  }
  const sign = trend.delta > 0 ? '+' : '';
  const text =
    trend.from === undefined
      ? `no history over ${trend.days} days`
      : `${sign}${formatScore(trend.delta)} in ${trend.days} days`;
  return (
    <Box
      display="inline-flex"
      alignItems="center"
      style={{ gap: 4 }}
      aria-label={`Score trend ${trend.direction}: ${text}`}
    >
      {icon}
      <Typography variant="body2" color={colour} component="span">
        {text}
      </Typography>
    </Box>
  );
}
