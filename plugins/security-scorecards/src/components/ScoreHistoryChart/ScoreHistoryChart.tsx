import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  ScorecardHistoryPoint,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';
import { formatScore, severityColours } from '../format';

/** The severities the chart stacks, most severe at the bottom. */
const chartedSeverities: Severity[] = ['critical', 'high', 'medium', 'low'];

const width = 720;
const left = 40;
const right = 8;
const scoreTop = 10;
const scoreHeight = 100;
const findingsTop = 140;
const findingsHeight = 90;
const height = findingsTop + findingsHeight + 24;
const plotWidth = width - left - right;

const dayFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const dayLabel = (day: string) =>
  dayFormat.format(new Date(`${day}T00:00:00Z`));

/** x of each point: days since the first, so missing days leave gaps. */
function xPositions(points: ScorecardHistoryPoint[]): number[] {
  const times = points.map(point => Date.parse(`${point.day}T00:00:00Z`));
  const first = times[0];
  const span = times[times.length - 1] - first;
  return times.map(time =>
    span === 0
      ? left + plotWidth / 2
      : left + ((time - first) / span) * plotWidth,
  );
}

const openTotal = (point: ScorecardHistoryPoint) =>
  chartedSeverities.reduce((sum, s) => sum + point.openFindings[s], 0);

/** A short account of the history for screen readers and the test. */
export function describeHistory(points: ScorecardHistoryPoint[]): string {
  if (points.length === 0) return 'No history';
  const first = points[0];
  const last = points[points.length - 1];
  const score = `Score from ${formatScore(first.score)} to ${formatScore(
    last.score,
  )}`;
  const findings = `open critical to low findings from ${openTotal(
    first,
  )} to ${openTotal(last)}`;
  return `${score}, ${findings}, ${first.day} to ${last.day}`;
}

/** One day in words, the tooltip of its column. */
function describePoint(point: ScorecardHistoryPoint): string {
  const findings = chartedSeverities
    .map(severity => `${point.openFindings[severity]} ${severity}`)
    .join(', ');
  return `${point.day}: score ${formatScore(point.score)}, ${findings}, ${
    point.pastSla
  } past SLA`;
}

/** Day labels sit inside the plot: the first starts, the last ends there. */
function anchorOf(index: number, count: number): 'start' | 'middle' | 'end' {
  if (index === 0) return 'start';
  return index === count - 1 ? 'end' : 'middle';
}

/**
 * The daily score and the open findings by severity (stacked), as plain SVG
 * drawn in the theme's colours so it reads in the light and the dark theme.
 *
 * @public
 */
/** A horizontal grid line across the plot, labelled on the left. */
function GridLine(props: { y: number; label: number }) {
  const theme = useTheme();
  return (
    <g>
      <line
        x1={left}
        x2={width - right}
        y1={props.y}
        y2={props.y}
        stroke={theme.palette.divider}
      />
      <text
        x={left - 6}
        y={props.y + 4}
        fill={theme.palette.text.secondary}
        fontSize={11}
        textAnchor="end"
      >
        {props.label}
      </text>
    </g>
  );
}

export function ScoreHistoryChart(props: { points: ScorecardHistoryPoint[] }) {
  const { points } = props;
  const theme = useTheme();
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No history yet: scorecards are graded after every scan and daily.
      </Typography>
    );
  }
  const text = theme.palette.text.secondary;
  const scoreColour = theme.palette.primary.main;
  const xs = xPositions(points);
  const scoreY = (score: number) =>
    scoreTop +
    scoreHeight -
    (Math.min(Math.max(score, 0), 100) / 100) * scoreHeight;
  const maxOpen = Math.max(1, ...points.map(openTotal));
  const findingsY = (count: number) =>
    findingsTop + findingsHeight - (count / maxOpen) * findingsHeight;

  const scorePath = points
    .map((point, i) => `${i === 0 ? 'M' : 'L'}${xs[i]},${scoreY(point.score)}`)
    .join(' ');

  // Stacked areas: each severity sits on the ones more severe than it.
  const below = points.map(() => 0);
  const areas = chartedSeverities.map(severity => {
    const bottom = [...below];
    points.forEach((point, i) => {
      below[i] += point.openFindings[severity];
    });
    const top = [...below];
    const upper = points.map((_p, i) => `${xs[i]},${findingsY(top[i])}`);
    const lower = points
      .map((_p, i) => `${xs[i]},${findingsY(bottom[i])}`)
      .reverse();
    return {
      severity,
      path: `M${upper.join(' L')} L${lower.join(' L')} Z`,
    };
  });

  const labelled = [
    ...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]),
  ];
  const slot = points.length > 1 ? plotWidth / (points.length - 1) : plotWidth;

  return (
    <Box>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-label={describeHistory(points)}
        style={{ display: 'block', maxHeight: 320 }}
      >
        {[0, 50, 100].map(score => (
          <GridLine key={`score-${score}`} y={scoreY(score)} label={score} />
        ))}
        <text x={left} y={scoreTop - 2} fill={text} fontSize={11}>
          Score
        </text>
        {[0, maxOpen].map(count => (
          <GridLine
            key={`findings-${count}`}
            y={findingsY(count)}
            label={count}
          />
        ))}
        <text x={left} y={findingsTop - 6} fill={text} fontSize={11}>
          Open findings
        </text>
        {areas.map(area => (
          <path
            key={area.severity}
            d={area.path}
            fill={severityColours[area.severity]}
            fillOpacity={0.75}
            stroke="none"
          />
        ))}
        {points.length === 1 ? (
          <circle
            cx={xs[0]}
            cy={scoreY(points[0].score)}
            r={4}
            fill={scoreColour}
          />
        ) : (
          <path
            d={scorePath}
            fill="none"
            stroke={scoreColour}
            strokeWidth={2}
          />
        )}
        {labelled.map(i => (
          <text
            key={`day-${i}`}
            x={xs[i]}
            y={height - 6}
            fill={text}
            fontSize={11}
            textAnchor={anchorOf(i, points.length)}
          >
            {dayLabel(points[i].day)}
          </text>
        ))}
        {points.map((point, i) => (
          <rect
            key={point.day}
            x={xs[i] - slot / 2}
            y={scoreTop}
            width={slot}
            height={findingsTop + findingsHeight - scoreTop}
            fill="transparent"
          >
            <title>{describePoint(point)}</title>
          </rect>
        ))}
      </svg>
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mt={1}>
        <LegendItem colour={scoreColour} label="Score" line />
        {chartedSeverities.map(severity => (
          <LegendItem
            key={severity}
            colour={severityColours[severity]}
            label={severity}
          />
        ))}
      </Box>
    </Box>
  );
}

function LegendItem(props: { colour: string; label: string; line?: boolean }) {
  return (
    <Box display="flex" alignItems="center" style={{ gap: 6 }}>
      <svg width={16} height={10} aria-hidden>
        {props.line ? (
          <line
            x1={0}
            x2={16}
            y1={5}
            y2={5}
            stroke={props.colour}
            strokeWidth={2}
          />
        ) : (
          <rect width={16} height={10} fill={props.colour} />
        )}
      </svg>
      <Typography variant="caption" style={{ textTransform: 'capitalize' }}>
        {props.label}
      </Typography>
    </Box>
  );
}
