import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  EntityScorecard,
  FINDING_CATEGORIES,
} from '@secdevops/plugin-security-scorecards-common';
import { ReactNode } from 'react';
import { LevelBadge } from '../LevelBadge';
import { TrendIndicator } from '../TrendIndicator';
import {
  categoryLabel,
  formatScore,
  looksLikeEntityRef,
  timeAgo,
} from '../format';

function Stat(props: { label: string; value: number; alarming?: boolean }) {
  const { label, value, alarming } = props;
  return (
    <Box>
      <Typography variant="overline" color="textSecondary" component="div">
        {label}
      </Typography>
      <Typography
        variant="h6"
        component="div"
        color={alarming && value > 0 ? 'error' : 'textPrimary'}
        aria-label={`${label}: ${value}`}
      >
        {value}
      </Typography>
    </Box>
  );
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <Box mb={1}>
      <Typography variant="overline" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Box>
  );
}

/** A catalog link when the value is an entity ref, else the text itself. */
function Person(props: { value?: string; kind: 'user' | 'group' }) {
  if (!props.value) return <>not named</>;
  if (!looksLikeEntityRef(props.value)) return <>{props.value}</>;
  return <EntityRefLink entityRef={props.value} defaultKind={props.kind} />;
}

/** The categories with a scan, in the order of the finding categories, then others. */
function scannedCategories(lastScans: EntityScorecard['lastScans']) {
  const order = (category: string) => {
    const index = (FINDING_CATEGORIES as readonly string[]).indexOf(category);
    return index === -1 ? FINDING_CATEGORIES.length : index;
  };
  return Object.entries(lastScans)
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
}

/** Level, score, trend, urgent findings, people and scan freshness of an entity. */
export function ScorecardSummary(props: { scorecard: EntityScorecard }) {
  const { scorecard } = props;
  const scans = scannedCategories(scorecard.lastScans);
  return (
    <Box mb={2}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <LevelBadge level={scorecard.level} size="large" />
        <Box display="flex" alignItems="baseline" style={{ gap: 4 }}>
          <Typography variant="h4" component="span" aria-label="Score">
            {formatScore(scorecard.score)}
          </Typography>
          <Typography variant="body2" color="textSecondary" component="span">
            / 100
          </Typography>
        </Box>
        <TrendIndicator trend={scorecard.trend.days30} />
      </Box>
      {scorecard.reason && (
        <Typography variant="body2" color="textSecondary">
          {scorecard.reason}
        </Typography>
      )}
      <Box display="flex" flexWrap="wrap" mt={1} style={{ gap: 32 }}>
        <Stat
          label="Open critical"
          value={scorecard.openFindings.critical}
          alarming
        />
        <Stat label="Open high" value={scorecard.openFindings.high} alarming />
        <Stat label="Past SLA" value={scorecard.pastSla} alarming />
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          <Field label="Owner">
            <Person value={scorecard.ownerRef} kind="group" />
          </Field>
          <Field label="Security champion">
            <Person value={scorecard.securityChampion} kind="user" />
          </Field>
        </Grid>
        <Grid item xs={12} sm={6}>
          <Field label="Last scan">
            {scans.length === 0
              ? 'none'
              : scans.map(([category, time]) => (
                  <div key={category}>
                    {categoryLabel(category)}:{' '}
                    <span title={new Date(time).toLocaleString()}>
                      {timeAgo(time)}
                    </span>
                  </div>
                ))}
          </Field>
        </Grid>
      </Grid>
    </Box>
  );
}
