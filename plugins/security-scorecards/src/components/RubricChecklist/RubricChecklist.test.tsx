import { renderInTestApp } from '@backstage/test-utils';
import { CheckResult } from '@secdevops/plugin-security-scorecards-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { groupChecksByLevel, RubricChecklist } from './RubricChecklist';

function checkOf(overrides: Partial<CheckResult>): CheckResult {
  return {
    id: 'check',
    title: 'Check',
    level: 1,
    status: 'pass',
    evidence: 'evidence',
    guidance: 'guidance',
    ...overrides,
  };
}

const checks: CheckResult[] = [
  checkOf({
    id: 'champion',
    title: 'Security champion named',
    level: 2,
    status: 'pass',
    evidence: 'user:default/ken',
  }),
  checkOf({
    id: 'secrets-scan',
    title: 'Secrets scan within 14 days',
    level: 2,
    status: 'fail',
    evidence: 'Last secrets scan 31 days ago',
    guidance: 'Run gitleaks in CI and upload its report.',
    practice: 'Secret scanning',
    dsomm: {
      activity: 'Test for stored secrets',
      url: 'https://dsomm.owasp.org/activity-description?uuid=x',
    },
  }),
  checkOf({
    id: 'has-owner',
    title: 'Has an owner',
    level: 1,
    status: 'pass',
    evidence: 'Owned by group:default/payments',
  }),
  checkOf({
    id: 'iac-scan',
    title: 'IaC scan',
    level: 3,
    status: 'not-applicable',
    evidence: 'No infrastructure code',
  }),
];

const levels = [
  { rank: 1, name: 'Baseline' },
  { rank: 2, name: 'Managed' },
  { rank: 3, name: 'Defined' },
];

describe('RubricChecklist', () => {
  it('groups the checks by level, lowest first, and counts what passes', async () => {
    await renderInTestApp(<RubricChecklist checks={checks} levels={levels} />);

    const sections = screen.getAllByRole('region');
    expect(sections.map(section => section.getAttribute('aria-label'))).toEqual(
      ['Level 1 checks', 'Level 2 checks', 'Level 3 checks'],
    );
    const level2 = within(sections[1]);
    expect(level2.getByText('L2 Managed')).toBeInTheDocument();
    expect(
      level2.getByText('1 of 2 applicable checks pass'),
    ).toBeInTheDocument();
    expect(
      within(sections[2]).getByText('0 of 0 applicable checks pass'),
    ).toBeInTheDocument();
  });

  it('marks each check with its status and evidence', async () => {
    await renderInTestApp(<RubricChecklist checks={checks} levels={levels} />);

    const secrets = within(screen.getByTestId('check-secrets-scan'));
    expect(secrets.getByLabelText('fails')).toBeInTheDocument();
    expect(
      secrets.getByText('Last secrets scan 31 days ago'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('check-has-owner')).getByLabelText('passes'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('check-iac-scan')).getByLabelText(
        'not applicable',
      ),
    ).toBeInTheDocument();
  });

  it('opens a check to how to fix it and its DSOMM activity', async () => {
    await renderInTestApp(<RubricChecklist checks={checks} levels={levels} />);

    fireEvent.click(screen.getByText('Secrets scan within 14 days'));

    expect(
      screen.getByText('Run gitleaks in CI and upload its report.'),
    ).toBeVisible();
    expect(
      screen.getByText('SecDevOps practice: Secret scanning'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Test for stored secrets').closest('a'),
    ).toHaveAttribute(
      'href',
      'https://dsomm.owasp.org/activity-description?uuid=x',
    );
  });

  it('names levels by rank when the rubric is not known', async () => {
    await renderInTestApp(<RubricChecklist checks={checks} />);

    expect(screen.getByText('L3 Level 3')).toBeInTheDocument();
  });
});

describe('groupChecksByLevel', () => {
  it('puts the failing checks of a level first', () => {
    expect(
      groupChecksByLevel(checks).map(group => ({
        rank: group.rank,
        ids: group.checks.map(check => check.id),
      })),
    ).toEqual([
      { rank: 1, ids: ['has-owner'] },
      { rank: 2, ids: ['secrets-scan', 'champion'] },
      { rank: 3, ids: ['iac-scan'] },
    ]);
  });
});
