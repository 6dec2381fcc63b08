import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { securityScorecardsApiRef } from '../../api';
import { dateInDays, expiresAtFor, WaiverDraft } from './scope';
import { backendError, waiverOf } from './testData';
import { WaiverRequestDialog } from './WaiverRequestDialog';

const entityRef = 'component:default/payments';
const findingDraft: WaiverDraft = {
  scopeType: 'finding',
  findingId: '6a0a4d2e-0a8e-8f0e-9d3c-0c1a0a9c5e11',
  ruleId: 'CVE-2021-23337',
  purl: 'pkg:npm/lodash@4.17.20',
  findingTitle: 'Prototype pollution in lodash',
};

async function renderDialog(
  createWaiver: jest.Mock,
  draft: WaiverDraft = findingDraft,
  maxDays = 90,
) {
  const onCreated = jest.fn();
  const onClose = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[securityScorecardsApiRef, { createWaiver }]]}>
      <WaiverRequestDialog
        entityRef={entityRef}
        draft={draft}
        maxDays={maxDays}
        onClose={onClose}
        onCreated={onCreated}
      />
    </TestApiProvider>,
  );
  return { onCreated, onClose, dialog: screen.getByRole('dialog') };
}

function pick(label: string, option: string) {
  fireEvent.mouseDown(
    screen.getByRole('button', { name: new RegExp(`^${label}`) }),
  );
  fireEvent.click(screen.getByRole('option', { name: option }));
}

describe('WaiverRequestDialog', () => {
  it('requests a waiver for the finding it was opened from', async () => {
    const created = waiverOf(entityRef, { status: 'pending' });
    const createWaiver = jest.fn().mockResolvedValue(created);
    const { onCreated, dialog } = await renderDialog(createWaiver);

    expect(
      within(dialog).getByText(
        'From the finding “Prototype pollution in lodash”',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Finding id/)).toHaveValue(
      findingDraft.findingId,
    );
    const submit = within(dialog).getByRole('button', {
      name: 'Request waiver',
    });
    expect(submit).toBeDisabled();

    fireEvent.change(within(dialog).getByLabelText(/Justification/), {
      target: { value: '  Not reachable: the template API is unused  ' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Expires/), {
      target: { value: dateInDays(14) },
    });
    fireEvent.click(submit);

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(createWaiver).toHaveBeenCalledWith({
      entityRef,
      findingId: findingDraft.findingId,
      justification: 'Not reachable: the template API is unused',
      expiresAt: expiresAtFor(dateInDays(14), 90),
    });
    const expiresAt = new Date(createWaiver.mock.calls[0][0].expiresAt);
    expect(expiresAt.getHours()).toBe(23);
  });

  it('widens the scope to the rule or the package of the finding, with a VEX justification', async () => {
    const createWaiver = jest.fn().mockResolvedValue(waiverOf(entityRef, {}));
    const { dialog } = await renderDialog(createWaiver);

    pick('Applies to', 'Every finding in a package');
    expect(within(dialog).getByLabelText(/Package URL/)).toHaveValue(
      'pkg:npm/lodash@4.17.20',
    );
    pick('Applies to', 'Every finding of a rule');
    expect(within(dialog).getByLabelText(/Rule id/)).toHaveValue(
      'CVE-2021-23337',
    );
    pick('VEX justification', 'code not reachable');
    fireEvent.change(within(dialog).getByLabelText(/Justification/), {
      target: { value: 'The vulnerable function is never called' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );

    await waitFor(() => expect(createWaiver).toHaveBeenCalledTimes(1));
    const body = createWaiver.mock.calls[0][0];
    expect(body).toMatchObject({
      entityRef,
      ruleId: 'CVE-2021-23337',
      justification: 'The vulnerable function is never called',
      vexJustification: 'code_not_reachable',
    });
    expect(body).not.toHaveProperty('findingId');
    expect(body).not.toHaveProperty('purl');
  });

  it("shows the backend's message when it refuses the request", async () => {
    const createWaiver = jest
      .fn()
      .mockRejectedValue(
        await backendError(
          400,
          'Bad Request',
          'InputError',
          'expiresAt must be at most 30 days ahead (securityScorecards.waivers.maxDays)',
        ),
      );
    const { onCreated, dialog } = await renderDialog(
      createWaiver,
      { scopeType: 'rule' },
      30,
    );

    fireEvent.change(within(dialog).getByLabelText(/Rule id/), {
      target: { value: 'semgrep.sql-injection' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Justification/), {
      target: { value: 'Parameterised by the ORM' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'expiresAt must be at most 30 days ahead (securityScorecards.waivers.maxDays)',
    );
    expect(onCreated).not.toHaveBeenCalled();
    expect(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    ).toBeEnabled();
  });

  it('limits the expiry to maxDays ahead', async () => {
    const { dialog } = await renderDialog(jest.fn(), { scopeType: 'rule' }, 30);

    const expiry = within(dialog).getByLabelText(/Expires/);
    expect(expiry).toHaveAttribute('max', dateInDays(30));
    expect(expiry).toHaveAttribute('min', dateInDays(1));
    expect(expiry).toHaveValue(dateInDays(30));
    expect(
      within(dialog).getByText(/At most 30 days ahead/),
    ).toBeInTheDocument();
  });

  it('closes on cancel without a request', async () => {
    const createWaiver = jest.fn();
    const { onClose, dialog } = await renderDialog(createWaiver);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    expect(onClose).toHaveBeenCalled();
    expect(createWaiver).not.toHaveBeenCalled();
  });
});

describe('expiresAtFor', () => {
  const now = new Date(2026, 10, 28, 9, 30).getTime();

  it('is the end of the picked day in the reader’s time zone', () => {
    expect(new Date(expiresAtFor('2026-12-05', 90, now))).toEqual(
      new Date(2026, 11, 5, 23, 59, 59, 999),
    );
  });

  it('stays within maxDays of now on the last allowed day', () => {
    const lastDay = dateInDays(90, now);
    const expiresAt = Date.parse(expiresAtFor(lastDay, 90, now));
    expect(expiresAt).toBeLessThan(now + 90 * 86_400_000);
    expect(expiresAt).toBeGreaterThan(now + 89 * 86_400_000);
  });
});
