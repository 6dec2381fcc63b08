import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { MaturityLevel } from '@secdevops/plugin-security-scorecards-common';
import { levelColour, levelLabel } from '../format';

const useStyles = makeStyles({
  badge: { fontWeight: 600, margin: 0 },
  large: { fontSize: '1rem', height: 32, padding: '0 4px' },
});

/**
 * A maturity level as a coloured label, "L2 Managed": grey when not graded,
 * from red to green as the level rises.
 *
 * @public
 */
export function LevelBadge(props: {
  level: MaturityLevel;
  size?: 'small' | 'large';
}) {
  const { level, size = 'small' } = props;
  const classes = useStyles();
  const colour = levelColour(level.rank);
  return (
    <Chip
      size="small"
      label={levelLabel(level)}
      title={`Maturity level ${level.rank}: ${level.name}`}
      className={`${classes.badge} ${size === 'large' ? classes.large : ''}`}
      style={{ backgroundColor: colour.background, color: colour.text }}
      data-testid={`level-badge-${level.rank}`}
    />
  );
}
