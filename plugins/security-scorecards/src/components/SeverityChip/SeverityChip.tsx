import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { Severity } from '@secdevops/plugin-security-scorecards-common';

/** Colours that read in both the light and the dark theme. */
const severityColours: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#e65100',
  medium: '#f9a825',
  low: '#1565c0',
  info: '#616161',
};

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
