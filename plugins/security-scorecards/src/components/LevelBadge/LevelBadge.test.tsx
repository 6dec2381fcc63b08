import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { LevelBadge } from './LevelBadge';

describe('LevelBadge', () => {
  it('names the level with its rank', async () => {
    await renderInTestApp(<LevelBadge level={{ rank: 2, name: 'Managed' }} />);

    expect(screen.getByText('L2 Managed')).toBeInTheDocument();
    expect(screen.getByTitle('Maturity level 2: Managed')).toBeInTheDocument();
  });

  it('colours each rank, from grey when not graded to green at the top', async () => {
    await renderInTestApp(
      <>
        <LevelBadge level={{ rank: 0, name: 'Not graded' }} />
        <LevelBadge level={{ rank: 1, name: 'Baseline' }} />
        <LevelBadge level={{ rank: 4, name: 'Optimizing' }} />
      </>,
    );

    expect(screen.getByTestId('level-badge-0')).toHaveStyle({
      backgroundColor: '#757575',
    });
    expect(screen.getByTestId('level-badge-1')).toHaveStyle({
      backgroundColor: '#c62828',
    });
    expect(screen.getByTestId('level-badge-4')).toHaveStyle({
      backgroundColor: '#2e7d32',
    });
  });
});
