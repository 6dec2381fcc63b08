import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  GroupScorecard,
  RubricLevel,
  SEVERITIES,
} from '@secdevops/plugin-security-scorecards-common';
import { ReactNode } from 'react';
import { SeverityChip } from '../SeverityChip';
import { formatScore, formatShare, levelLabel, levelOfRank } from '../format';
import { LevelDistributionBar } from './LevelDistributionBar';

function Figure(props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  alarming?: boolean;
}) {
  return (
    <Box minWidth={140}>
      <Typography variant="overline" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography
        variant="h4"
        component="div"
        color={props.alarming ? 'error' : 'textPrimary'}
        aria-label={props.label}
      >
        {props.value}
      </Typography>
      {props.detail && (
        <Typography variant="caption" color="textSecondary" component="div">
          {props.detail}
        </Typography>
      )}
    </Box>
  );
}

/**
 * The headline figures of a rollup: average score, share at the target level
 * (target selectable), SLA breaches, level distribution and open findings.
 */
export function RollupSummary(props: {
  scorecard: GroupScorecard;
  levels?: RubricLevel[];
  onTargetChange: (targetLevel: number) => void;
}) {
  const { scorecard, levels, onTargetChange } = props;
  const targets = (levels ?? []).filter(level => level.rank > 0);
  if (!targets.some(level => level.rank === scorecard.targetLevel)) {
    targets.push(levelOfRank(scorecard.targetLevel, levels));
    targets.sort((a, b) => a.rank - b.rank);
  }
  return (
    <Box>
      <Box display="flex" flexWrap="wrap" style={{ gap: 32 }} mb={2}>
        <Figure
          label="Average score"
          value={formatScore(scorecard.averageScore)}
          detail={`over ${scorecard.entityCount} entities`}
        />
        <Figure
          label="At target"
          value={formatShare(scorecard.shareAtTarget)}
          detail={`${scorecard.atTarget} of ${
            scorecard.entityCount
          } at ${levelLabel(
            levelOfRank(scorecard.targetLevel, levels),
          )} or above`}
        />
        <Figure
          label="Past SLA"
          value={scorecard.pastSla}
          detail="open findings past their due date"
          alarming={scorecard.pastSla > 0}
        />
        <Box alignSelf="center">
          <TextField
            select
            label="Target level"
            variant="outlined"
            size="small"
            value={scorecard.targetLevel}
            onChange={event => onTargetChange(Number(event.target.value))}
            style={{ minWidth: 180 }}
            SelectProps={{ id: 'scorecard-target-level' }}
          >
            {targets.map(level => (
              <MenuItem key={level.rank} value={level.rank}>
                {levelLabel(level)}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      </Box>
      <Typography variant="overline" color="textSecondary" component="div">
        Levels
      </Typography>
      <LevelDistributionBar
        distribution={scorecard.levelDistribution}
        levels={levels}
      />
      <Box mt={2}>
        <Typography variant="overline" color="textSecondary" component="div">
          Open findings
        </Typography>
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
          {SEVERITIES.map(severity => (
            <Box
              key={severity}
              display="flex"
              alignItems="center"
              style={{ gap: 6 }}
              aria-label={`Open ${severity}: ${scorecard.openFindings[severity]}`}
            >
              <SeverityChip severity={severity} />
              <Typography variant="body1">
                {scorecard.openFindings[severity]}
              </Typography>
            </Box>
          ))}
        </Box>
      </Box>
    </Box>
  );
}
