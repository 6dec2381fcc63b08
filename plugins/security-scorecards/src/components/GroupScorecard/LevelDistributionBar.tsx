import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { RubricLevel } from '@secdevops/plugin-security-scorecards-common';
import { levelColour, levelLabel, levelOfRank } from '../format';

/** Level ranks with a count, lowest first. */
function rankedCounts(distribution: Record<string, number>) {
  return Object.entries(distribution)
    .map(([rank, count]) => ({ rank: Number(rank), count }))
    .filter(entry => Number.isFinite(entry.rank) && entry.count > 0)
    .sort((a, b) => a.rank - b.rank);
}

/**
 * How many entities are at each level, as one bar split by level colour, with
 * a legend unless `compact`.
 */
export function LevelDistributionBar(props: {
  distribution: Record<string, number>;
  levels?: RubricLevel[];
  compact?: boolean;
}) {
  const entries = rankedCounts(props.distribution);
  const total = entries.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No entities
      </Typography>
    );
  }
  const described = entries.map(entry => ({
    ...entry,
    label: levelLabel(levelOfRank(entry.rank, props.levels)),
  }));
  return (
    <Box>
      <Box
        display="flex"
        height={props.compact ? 10 : 20}
        minWidth={props.compact ? 80 : undefined}
        borderRadius={4}
        overflow="hidden"
        role="img"
        aria-label={described
          .map(entry => `${entry.label}: ${entry.count}`)
          .join(', ')}
      >
        {described.map(entry => (
          <Box
            key={entry.rank}
            title={`${entry.label}: ${entry.count}`}
            style={{
              width: `${(entry.count / total) * 100}%`,
              backgroundColor: levelColour(entry.rank).background,
            }}
          />
        ))}
      </Box>
      {!props.compact && (
        <Box display="flex" flexWrap="wrap" mt={1} style={{ gap: 16 }}>
          {described.map(entry => (
            <Box
              key={entry.rank}
              display="flex"
              alignItems="center"
              style={{ gap: 6 }}
            >
              <Box
                width={12}
                height={12}
                borderRadius={2}
                style={{ backgroundColor: levelColour(entry.rank).background }}
              />
              <Typography variant="caption">
                {entry.label}: {entry.count}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
