import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Escalation } from '@secdevops/plugin-security-scorecards-common';
import { formatDate } from '../format';

const useStyles = makeStyles(theme => ({
  ladder: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  step: {
    borderLeft: `3px dashed ${theme.palette.divider}`,
    paddingLeft: theme.spacing(0.75),
    paddingRight: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  notified: {
    borderLeft: `3px solid ${theme.palette.warning.main}`,
    color: theme.palette.text.primary,
  },
  current: {
    borderLeft: `3px solid ${theme.palette.error.main}`,
    color: theme.palette.text.primary,
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/**
 * The owner chain of an escalation as small steps, one per level: the group,
 * and when it was notified or, for levels to come, when it will be.
 */
export function EscalationLadder(props: { escalation: Escalation }) {
  const { escalation } = props;
  const classes = useStyles();
  return (
    <ol className={classes.ladder} aria-label="Owner chain">
      {escalation.ladder.map(step => {
        const current =
          escalation.state === 'active' && step.level === escalation.level;
        const className = [
          classes.step,
          step.notifiedAt && classes.notified,
          current && classes.current,
        ]
          .filter(Boolean)
          .join(' ');
        return (
          <li
            key={step.level}
            className={className}
            aria-current={current ? 'step' : undefined}
          >
            <Typography variant="caption" component="div">
              L{step.level}{' '}
              <EntityRefLink
                entityRef={step.targetRef}
                defaultKind="group"
                hideIcon
              />
            </Typography>
            <Typography variant="caption" component="div" color="inherit">
              {step.notifiedAt
                ? `notified ${formatDate(step.notifiedAt)}`
                : `due ${formatDate(step.dueAt)}`}
            </Typography>
          </li>
        );
      })}
    </ol>
  );
}
