import { renderInTestApp } from '@backstage/test-utils';
import { themes, UnifiedThemeProvider } from '@backstage/theme';
import { ScorecardHistoryPoint } from '@secdevops/plugin-security-scorecards-common';
import { screen } from '@testing-library/react';
import { Theme } from '@material-ui/core/styles';
import { ScoreHistoryChart } from './ScoreHistoryChart';

const dark = themes.dark.getTheme('v4') as Theme;

function pointOf(
  day: string,
  score: number,
  critical: number,
  high: number,
): ScorecardHistoryPoint {
  return {
    day,
    score,
    openFindings: { critical, high, medium: 1, low: 0, info: 9 },
    pastSla: critical,
  };
}

const points = [
  pointOf('2026-09-01', 40, 3, 5),
  pointOf('2026-10-15', 55, 2, 4),
  pointOf('2026-11-28', 72.5, 0, 2),
];

describe('ScoreHistoryChart', () => {
  it('describes the score and open findings over the period', async () => {
    await renderInTestApp(<ScoreHistoryChart points={points} />);

    expect(
      screen.getByRole('img', {
        name: 'Score from 40 to 72.5, open critical to low findings from 9 to 3, 2026-09-01 to 2026-11-28',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Sep 1')).toBeInTheDocument();
    expect(screen.getByText('Nov 28')).toBeInTheDocument();
    expect(
      screen.getByText(
        '2026-10-15: score 55, 2 critical, 4 high, 1 medium, 0 low, 2 past SLA',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('critical')).toBeInTheDocument();
  });

  it('draws in the colours of the dark theme', async () => {
    const { container } = await renderInTestApp(
      <UnifiedThemeProvider theme={themes.dark}>
        <ScoreHistoryChart points={points} />
      </UnifiedThemeProvider>,
    );

    const scoreLine = container.querySelector(
      'svg[role="img"] path[fill="none"]',
    );
    expect(scoreLine).toHaveAttribute('stroke', dark.palette.primary.main);
    expect(screen.getByText('Score', { selector: 'text' })).toHaveAttribute(
      'fill',
      dark.palette.text.secondary,
    );
  });

  it('says when there is no history yet', async () => {
    await renderInTestApp(<ScoreHistoryChart points={[]} />);

    expect(screen.getByText(/No history yet/)).toBeInTheDocument();
  });
});
