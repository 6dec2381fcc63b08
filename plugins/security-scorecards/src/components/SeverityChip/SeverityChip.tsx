import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { Severity } from '@secdevops/plugin-security-scorecards-common';
import { severityColours } from '../format';

const useStyles = makeStyles({
  chip: {
    color: '#fff',
    fontWeight: 600,
    textTransform: 'capitalize',
    margin: 0,
  },
});

/**
 * A finding's severity as a coloured label.
 *
 * @public
 */
export function SeverityChip(props: { severity: Severity }) {
  const classes = useStyles();
  const colour = severityColours[props.severity];
  return (
    <Chip
      size="small"
      label={props.severity}
      className={classes.chip}
      style={{ backgroundColor: colour }}
    />
  );
}
