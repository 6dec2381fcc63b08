import Chip from '@material-ui/core/Chip';
import { useTheme } from '@material-ui/core/styles';
import { SlaState } from '@secdevops/plugin-security-scorecards-common';
import { slaStateLabels } from '../format';

/** The SLA state of an open finding: "past SLA" in red, "due soon" in amber. */
export function SlaChip(props: { state: SlaState }) {
  const theme = useTheme();
  const colours: Record<SlaState, string> = {
    within: theme.palette.success.main,
    'due-soon': theme.palette.warning.main,
    breached: theme.palette.error.main,
  };
  const colour = colours[props.state];
  return (
    <Chip
      size="small"
      variant={props.state === 'within' ? 'outlined' : 'default'}
      label={slaStateLabels[props.state]}
      style={
        props.state === 'within'
          ? { borderColor: colour, color: colour, margin: 0 }
          : {
              backgroundColor: colour,
              color: theme.palette.getContrastText(colour),
              margin: 0,
            }
      }
    />
  );
}
