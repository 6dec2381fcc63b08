import Chip from '@material-ui/core/Chip';
import { useTheme } from '@material-ui/core/styles';
import { WaiverStatus } from '@secdevops/plugin-security-scorecards-common';

/** A waiver's status: pending in amber, active in green, the ended ones outlined. */
export function WaiverStatusChip(props: { status: WaiverStatus }) {
  const theme = useTheme();
  const filled: Partial<Record<WaiverStatus, string>> = {
    pending: theme.palette.warning.main,
    active: theme.palette.success.main,
  };
  const colour = filled[props.status];
  return (
    <Chip
      size="small"
      label={props.status}
      variant={colour ? 'default' : 'outlined'}
      style={
        colour
          ? {
              backgroundColor: colour,
              color: theme.palette.getContrastText(colour),
              margin: 0,
            }
          : { margin: 0 }
      }
    />
  );
}
