import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { Escalation } from '@secdevops/plugin-security-scorecards-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { EscalationsPage } from './EscalationsPage';
import { mineFirst } from './ordering';

const DAY = 86_400_000;
const daysFromNow = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

/** As the backend orders them: highest level and oldest breach first. */
const escalations: Escalation[] = [
  {
    id: 'e1',
    entityRef: 'component:default/payment-gateway',
    targetRef: 'group:default/acme',
    level: 3,
    state: 'active',
    findingCount: 4,
    severity: 'critical',
    breachedAt: daysFromNow(-20.5),
    ladder: [
      {
        level: 1,
        targetRef: 'group:default/payments',
        dueAt: daysFromNow(-20.5),
        notifiedAt: daysFromNow(-20.4),
      },
      {
        level: 2,
        targetRef: 'group:default/commerce',
        dueAt: daysFromNow(-13.5),
        notifiedAt: daysFromNow(-13.4),
      },
      {
        level: 3,
        targetRef: 'group:default/acme',
        dueAt: daysFromNow(-6.5),
        notifiedAt: daysFromNow(-6.4),
      },
    ],
  },
  {
    id: 'e2',
    entityRef: 'component:default/ledger-service',
    targetRef: 'group:default/platform',
    level: 2,
    state: 'active',
    findingCount: 2,
    severity: 'high',
    breachedAt: daysFromNow(-10.5),
    nextStepAt: daysFromNow(3.2),
    ladder: [
      {
        level: 1,
        targetRef: 'group:default/infrastructure',
        dueAt: daysFromNow(-10.5),
        notifiedAt: daysFromNow(-10.4),
      },
      {
        level: 2,
        targetRef: 'group:default/platform',
        dueAt: daysFromNow(-3.5),
        notifiedAt: daysFromNow(-3.4),
      },
      {
        level: 3,
        targetRef: 'group:default/acme',
        dueAt: daysFromNow(3.2),
      },
    ],
  },
  {
    id: 'e3',
    entityRef: 'component:default/legacy-billing',
    targetRef: 'group:default/appsec',
    level: 1,
    state: 'active',
    findingCount: 1,
    severity: 'medium',
    breachedAt: daysFromNow(-1.5),
    nextStepAt: daysFromNow(5.5),
    ladder: [
      {
        level: 1,
        targetRef: 'group:default/appsec',
        dueAt: daysFromNow(-1.5),
        notifiedAt: daysFromNow(-1.4),
      },
      {
        level: 2,
        targetRef: 'group:default/security',
        dueAt: daysFromNow(5.5),
      },
    ],
  },
];

async function renderPage(options: {
  api: Partial<SecurityScorecardsApi>;
  path?: string;
  ownershipEntityRefs?: string[];
}) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [securityScorecardsApiRef, options.api],
        [
          catalogApiRef,
          { getEntities: jest.fn().mockResolvedValue({ items: [] }) },
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: options.ownershipEntityRefs ?? [
              'user:default/guest',
            ],
          }),
        ],
      ]}
    >
      <EscalationsPage />
    </TestApiProvider>,
    {
      routeEntries: [options.path ?? '/escalations'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

/** The entity names of the table's rows, top to bottom. */
function entityOrder(): string[] {
  return screen
    .getAllByRole('link', {
      name: /^(payment-gateway|ledger-service|legacy-billing)$/,
    })
    .map(link => link.textContent ?? '');
}

describe('EscalationsPage', () => {
  it('lists the active escalations with level, owner chain, findings, days overdue and next step', async () => {
    const listEscalations = jest.fn().mockResolvedValue({ items: escalations });

    await renderPage({ api: { listEscalations } });

    expect(
      await screen.findByText(
        '3 active escalations: 1 at level 3, 1 at level 2, 1 at level 1',
      ),
    ).toBeInTheDocument();
    expect(listEscalations).toHaveBeenCalledWith({
      groupRef: undefined,
      state: 'active',
    });
    expect(screen.getByText('Active escalations')).toBeInTheDocument();

    const gateway = screen
      .getByRole('link', { name: 'payment-gateway' })
      .closest('tr')!;
    expect(
      within(gateway).getByRole('link', { name: 'payment-gateway' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payment-gateway/security?sla=breached',
    );
    expect(within(gateway).getByText('critical')).toBeInTheDocument();
    expect(within(gateway).getByText('Level 3')).toBeInTheDocument();
    expect(within(gateway).getByText('20 days')).toBeInTheDocument();
    expect(within(gateway).getByText('4')).toBeInTheDocument();
    expect(within(gateway).getByText('Top of the chain')).toBeInTheDocument();
    const chain = within(gateway).getByRole('list', { name: 'Owner chain' });
    const steps = within(chain).getAllByRole('listitem');
    expect(steps.map(step => step.textContent)).toEqual([
      `L1 payments${`notified ${new Date(
        escalations[0].ladder[0].notifiedAt!,
      ).toLocaleDateString()}`}`,
      `L2 commerce${`notified ${new Date(
        escalations[0].ladder[1].notifiedAt!,
      ).toLocaleDateString()}`}`,
      `L3 acme${`notified ${new Date(
        escalations[0].ladder[2].notifiedAt!,
      ).toLocaleDateString()}`}`,
    ]);
    expect(steps[2]).toHaveAttribute('aria-current', 'step');

    const ledger = screen
      .getByRole('link', { name: 'ledger-service' })
      .closest('tr')!;
    expect(within(ledger).getByText('10 days')).toBeInTheDocument();
    expect(within(ledger).getByText('in 3 days')).toBeInTheDocument();
    expect(
      within(ledger).getByText(
        `due ${new Date(escalations[1].ladder[2].dueAt).toLocaleDateString()}`,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('your team')).not.toBeInTheDocument();
  });

  it("puts the escalations of the user's groups first, marked as theirs", async () => {
    await renderPage({
      api: {
        listEscalations: jest.fn().mockResolvedValue({ items: escalations }),
      },
      ownershipEntityRefs: ['user:default/guest', 'group:default/appsec'],
    });

    expect(
      await screen.findByText(
        '3 active escalations: 1 at level 3, 1 at level 2, 1 at level 1; 1 for your teams',
      ),
    ).toBeInTheDocument();
    expect(entityOrder()).toEqual([
      'legacy-billing',
      'payment-gateway',
      'ledger-service',
    ]);
    const billing = screen
      .getByRole('link', { name: 'legacy-billing' })
      .closest('tr')!;
    expect(within(billing).getByText('your team')).toBeInTheDocument();
    expect(screen.getAllByText('your team')).toHaveLength(1);
  });

  it('counts a group further up the chain as the user’s team too', () => {
    const rows = mineFirst(escalations, new Set(['group:default/acme']));

    expect(rows.map(row => [row.id, row.mine])).toEqual([
      ['e1', true],
      ['e2', true],
      ['e3', false],
    ]);
  });

  it('takes the group and the state from the URL, and changes the state', async () => {
    const listEscalations = jest.fn().mockResolvedValue({
      items: [
        {
          ...escalations[1],
          state: 'closed',
          closedReason: 'resolved',
          closedAt: daysFromNow(-2.5),
          nextStepAt: undefined,
        },
      ],
    });

    await renderPage({
      api: { listEscalations },
      path: '/escalations?group=group:default/commerce&state=closed',
    });

    expect(
      await screen.findByText('1 closed escalation: 1 at level 2'),
    ).toBeInTheDocument();
    expect(listEscalations).toHaveBeenCalledWith({
      groupRef: 'group:default/commerce',
      state: 'closed',
    });
    expect(screen.getByText('Closed escalations')).toBeInTheDocument();
    expect(
      screen.getByText(
        `Closed ${new Date(daysFromNow(-2.5)).toLocaleDateString()} (resolved)`,
      ),
    ).toBeInTheDocument();
    // Overdue until it closed: from 10.5 to 2.5 days ago.
    expect(screen.getByText('8 days')).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByRole('button', { name: 'State Closed' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Active' }));

    await waitFor(() =>
      expect(listEscalations).toHaveBeenLastCalledWith({
        groupRef: 'group:default/commerce',
        state: 'active',
      }),
    );
  });

  it('says when nothing is escalated', async () => {
    await renderPage({
      api: { listEscalations: jest.fn().mockResolvedValue({ items: [] }) },
    });

    expect(
      await screen.findByText(
        'No active escalations: no finding here is past its SLA.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('0 active escalations')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderPage({
      api: {
        listEscalations: jest
          .fn()
          .mockRejectedValue(new Error('Not allowed: scorecard.read')),
      },
    });

    expect(
      await screen.findByText('Error: Not allowed: scorecard.read'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Active escalations')).not.toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderPage({
      api: { listEscalations: () => new Promise(() => {}) },
    });

    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByText(/active escalations/)).not.toBeInTheDocument();
  });
});
