import { Link } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import {
  CheckResult,
  CheckStatus,
  RubricLevel,
} from '@secdevops/plugin-security-scorecards-common';
import { LevelBadge } from '../LevelBadge';
import { levelOfRank } from '../format';

const statusLabels: Record<CheckStatus, string> = {
  pass: 'passes',
  fail: 'fails',
  'not-applicable': 'not applicable',
};

function StatusIcon(props: { status: CheckStatus }) {
  const label = statusLabels[props.status];
  if (props.status === 'pass') {
    return (
      <CheckCircleIcon
        aria-label={label}
        titleAccess={label}
        style={{ color: '#43a047' }}
      />
    );
  }
  if (props.status === 'fail') {
    return <CancelIcon aria-label={label} titleAccess={label} color="error" />;
  }
  return (
    <RemoveCircleOutlineIcon
      aria-label={label}
      titleAccess={label}
      color="disabled"
    />
  );
}

function CheckItem(props: { check: CheckResult }) {
  const { check } = props;
  return (
    <Accordion variant="outlined" data-testid={`check-${check.id}`}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`check-${check.id}-details`}
        id={`check-${check.id}-summary`}
      >
        <Box display="flex" alignItems="flex-start" style={{ gap: 12 }}>
          <StatusIcon status={check.status} />
          <Box>
            <Typography variant="body1">{check.title}</Typography>
            <Typography variant="body2" color="textSecondary">
              {check.evidence}
            </Typography>
          </Box>
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`check-${check.id}-details`}>
        <Box>
          {check.description && (
            <Typography variant="body2" paragraph>
              {check.description}
            </Typography>
          )}
          <Typography variant="overline" color="textSecondary" component="div">
            How to fix
          </Typography>
          <Typography
            variant="body2"
            paragraph
            style={{ whiteSpace: 'pre-wrap' }}
          >
            {check.guidance}
          </Typography>
          {check.practice && (
            <Typography variant="body2">
              SecDevOps practice: {check.practice}
            </Typography>
          )}
          {check.dsomm && (
            <Typography variant="body2">
              OWASP DSOMM:{' '}
              {check.dsomm.url ? (
                <Link to={check.dsomm.url}>{check.dsomm.activity}</Link>
              ) : (
                check.dsomm.activity
              )}
            </Typography>
          )}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}

/** The checks of each level, lowest level first; within a level, failures first. */
export function groupChecksByLevel(
  checks: CheckResult[],
): Array<{ rank: number; checks: CheckResult[] }> {
  const statusOrder: CheckStatus[] = ['fail', 'pass', 'not-applicable'];
  const ranks = [...new Set(checks.map(check => check.level))].sort(
    (a, b) => a - b,
  );
  return ranks.map(rank => ({
    rank,
    checks: checks
      .filter(check => check.level === rank)
      .sort(
        (a, b) => statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status),
      ),
  }));
}

/**
 * The rubric's checks for an entity, grouped by level: status, evidence, and
 * how to fix each one, with the practice and DSOMM activity it stands for.
 *
 * @public
 */
export function RubricChecklist(props: {
  checks: CheckResult[];
  levels?: RubricLevel[];
}) {
  const groups = groupChecksByLevel(props.checks);
  if (groups.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The rubric has no checks.
      </Typography>
    );
  }
  return (
    <>
      {groups.map(group => {
        const applicable = group.checks.filter(
          check => check.status !== 'not-applicable',
        );
        const passing = applicable.filter(check => check.status === 'pass');
        return (
          <Box
            component="section"
            key={group.rank}
            mb={2}
            aria-label={`Level ${group.rank} checks`}
          >
            <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
              <LevelBadge level={levelOfRank(group.rank, props.levels)} />
              <Typography variant="body2" color="textSecondary">
                {passing.length} of {applicable.length} applicable checks pass
              </Typography>
            </Box>
            {group.checks.map(check => (
              <CheckItem key={check.id} check={check} />
            ))}
          </Box>
        );
      })}
    </>
  );
}
