import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EvaluatePermissionRequest } from '@backstage/plugin-permission-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { backendError, waiverOf } from './testData';
import { vexFileName, WaiversCard } from './WaiversCard';

// Permission answers are cached per permission and entity for the whole
// file (usePermission's SWR cache), so every test reads its own entity.
let entityCount = 0;
function nextEntityRef() {
  entityCount += 1;
  return `component:default/payments-${entityCount}`;
}

async function renderCard(options: {
  entityRef: string;
  api: Partial<SecurityScorecardsApi>;
  allowed?: string[];
  userEntityRef?: string;
  onChanged?: () => void;
  onRequestWaiver?: () => void;
}) {
  const authorize = jest.fn((request: EvaluatePermissionRequest) =>
    (options.allowed ?? []).includes(request.permission.name)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [securityScorecardsApiRef, options.api],
        [permissionApiRef, mockApis.permission({ authorize })],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: options.userEntityRef ?? 'user:default/bob',
          }),
        ],
      ]}
    >
      <WaiversCard
        entityRef={options.entityRef}
        onChanged={options.onChanged}
        onRequestWaiver={options.onRequestWaiver ?? jest.fn()}
      />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { authorize };
}

/** Waits until both permissions were asked for and their answers rendered. */
async function permissionsSettled(authorize: jest.Mock) {
  await waitFor(() => expect(authorize).toHaveBeenCalledTimes(2));
  await act(async () => {});
}

const CREATE = 'security-scorecards.waiver.create';
const APPROVE = 'security-scorecards.waiver.approve';

describe('WaiversCard', () => {
  it('lists the waivers with status, scope, justification, people, expiry and findings', async () => {
    const entityRef = nextEntityRef();
    const listWaivers = jest.fn().mockResolvedValue({
      items: [
        waiverOf(entityRef, {
          id: 'w-2',
          status: 'pending',
          scope: { purl: 'pkg:npm/lodash@4.17.20' },
          justification: 'Only used at build time',
          vexJustification: 'requires_environment',
          requestedBy: 'user:default/carol',
          findingCount: 0,
        }),
        waiverOf(entityRef, {
          approvedBy: 'user:default/dave',
          approvedAt: '2026-11-02T10:00:00.000Z',
        }),
        waiverOf(entityRef, {
          id: 'w-0',
          status: 'rejected',
          scope: { findingId: '6a0a4d2e-0a8e-8f0e-9d3c-0c1a0a9c5e11' },
          rejectedBy: 'user:default/dave',
          rejectedAt: '2026-10-02T10:00:00.000Z',
          findingCount: 0,
        }),
      ],
    });

    await renderCard({ entityRef, api: { listWaivers } });

    const pending = (await screen.findByText('pkg:npm/lodash@4.17.20')).closest(
      'tr',
    )!;
    expect(within(pending).getByText('pending')).toBeInTheDocument();
    expect(within(pending).getByText('Package')).toBeInTheDocument();
    expect(
      within(pending).getByText('Only used at build time'),
    ).toBeInTheDocument();
    expect(
      within(pending).getByText('VEX: requires environment'),
    ).toBeInTheDocument();
    expect(within(pending).getByText('carol')).toBeInTheDocument();

    const active = screen.getByText('CVE-2021-23337').closest('tr')!;
    expect(within(active).getByText('active')).toBeInTheDocument();
    expect(within(active).getByText('Rule')).toBeInTheDocument();
    expect(within(active).getByText('alice')).toBeInTheDocument();
    expect(within(active).getByText('dave')).toBeInTheDocument();
    expect(
      within(active).getByText(
        new Date('2027-01-15T10:00:00.000Z').toLocaleDateString(),
      ),
    ).toBeInTheDocument();
    expect(within(active).getByText('2')).toBeInTheDocument();

    const rejected = screen
      .getByText('6a0a4d2e-0a8e-8f0e-9d3c-0c1a0a9c5e11')
      .closest('tr')!;
    expect(within(rejected).getByText('rejected')).toBeInTheDocument();
    expect(within(rejected).getByText('Finding')).toBeInTheDocument();
    expect(within(rejected).getByText(/rejected by/)).toHaveTextContent(
      'rejected by dave',
    );
    expect(listWaivers).toHaveBeenCalledWith({ entityRef });
  });

  it('offers no actions but history and export to users without permissions', async () => {
    const entityRef = nextEntityRef();
    const { authorize } = await renderCard({
      entityRef,
      api: {
        listWaivers: jest.fn().mockResolvedValue({
          items: [
            waiverOf(entityRef, { id: 'w-2', status: 'pending' }),
            waiverOf(entityRef, {}),
          ],
        }),
      },
    });

    expect(
      await screen.findAllByRole('button', { name: 'History' }),
    ).toHaveLength(2);
    await permissionsSettled(authorize);
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: CREATE }),
        resourceRef: entityRef,
      }),
    );
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: APPROVE }),
        resourceRef: entityRef,
      }),
    );
    expect(screen.getByRole('button', { name: /Export VEX/ })).toBeEnabled();
    for (const name of [
      /Request waiver/,
      'Approve',
      'Reject',
      'Revoke',
      'Withdraw',
    ]) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });

  it('offers requesting to users who may create waivers', async () => {
    const entityRef = nextEntityRef();
    const onRequestWaiver = jest.fn();
    await renderCard({
      entityRef,
      allowed: [CREATE],
      onRequestWaiver,
      api: { listWaivers: jest.fn().mockResolvedValue({ items: [] }) },
    });

    fireEvent.click(
      await screen.findByRole('button', { name: /Request waiver/ }),
    );

    expect(onRequestWaiver).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('lets approvers approve a pending waiver, then reloads', async () => {
    const entityRef = nextEntityRef();
    const onChanged = jest.fn();
    const listWaivers = jest
      .fn()
      .mockResolvedValueOnce({
        items: [waiverOf(entityRef, { id: 'w-2', status: 'pending' })],
      })
      .mockResolvedValue({
        items: [
          waiverOf(entityRef, {
            id: 'w-2',
            approvedBy: 'user:default/bob',
            approvedAt: '2026-11-03T10:00:00.000Z',
          }),
        ],
      });
    const approveWaiver = jest.fn().mockResolvedValue({});

    await renderCard({
      entityRef,
      allowed: [APPROVE],
      onChanged,
      api: { listWaivers, approveWaiver },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));

    await waitFor(() => expect(approveWaiver).toHaveBeenCalledWith('w-2'));
    expect(await screen.findByText('active')).toBeInTheDocument();
    expect(listWaivers).toHaveBeenCalledTimes(2);
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('button', { name: 'Revoke' })).toBeVisible();
  });

  it('rejects a pending waiver with a reason', async () => {
    const entityRef = nextEntityRef();
    const rejectWaiver = jest.fn().mockResolvedValue({});
    await renderCard({
      entityRef,
      allowed: [APPROVE],
      api: {
        listWaivers: jest.fn().mockResolvedValue({
          items: [waiverOf(entityRef, { id: 'w-2', status: 'pending' })],
        }),
        rejectWaiver,
      },
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Reason (optional)'), {
      target: { value: 'Upgrade lodash instead' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));

    await waitFor(() =>
      expect(rejectWaiver).toHaveBeenCalledWith(
        'w-2',
        'Upgrade lodash instead',
      ),
    );
  });

  it('revokes an active waiver after confirmation, and shows a refusal', async () => {
    const entityRef = nextEntityRef();
    const revokeWaiver = jest
      .fn()
      .mockRejectedValue(
        await backendError(
          409,
          'Conflict',
          'ConflictError',
          'Waiver w-1 is expired, not active or pending',
        ),
      );
    await renderCard({
      entityRef,
      allowed: [APPROVE],
      api: {
        listWaivers: jest
          .fn()
          .mockResolvedValue({ items: [waiverOf(entityRef, {})] }),
        revokeWaiver,
      },
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/The findings it waives open again/),
    ).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    expect(
      await screen.findByText(
        'Could not revoke the waiver: Waiver w-1 is expired, not active or pending',
      ),
    ).toBeInTheDocument();
    expect(revokeWaiver).toHaveBeenCalledWith('w-1');
  });

  it('lets the requester withdraw a pending waiver, but not approve it', async () => {
    const entityRef = nextEntityRef();
    const { authorize } = await renderCard({
      entityRef,
      allowed: [CREATE, APPROVE],
      userEntityRef: 'user:default/alice',
      api: {
        listWaivers: jest.fn().mockResolvedValue({
          items: [waiverOf(entityRef, { id: 'w-2', status: 'pending' })],
        }),
      },
    });

    expect(
      await screen.findByRole('button', { name: 'Withdraw' }),
    ).toBeInTheDocument();
    await permissionsSettled(authorize);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('shows the history of a waiver', async () => {
    const entityRef = nextEntityRef();
    const getWaiverHistory = jest.fn().mockResolvedValue({
      items: [
        {
          waiverId: 'w-1',
          action: 'requested',
          actor: 'user:default/alice',
          at: '2026-11-01T10:00:00.000Z',
          detail: { findingIds: ['f-1', 'f-2'] },
        },
        {
          waiverId: 'w-1',
          action: 'approved',
          actor: 'user:default/dave',
          at: '2026-11-02T10:00:00.000Z',
        },
      ],
    });
    await renderCard({
      entityRef,
      api: {
        listWaivers: jest
          .fn()
          .mockResolvedValue({ items: [waiverOf(entityRef, {})] }),
        getWaiverHistory,
      },
    });

    fireEvent.click(await screen.findByRole('button', { name: 'History' }));

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('requested by alice'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('approved by dave')).toBeInTheDocument();
    expect(
      within(dialog).getByText('findingIds: ["f-1","f-2"]'),
    ).toBeInTheDocument();
    expect(getWaiverHistory).toHaveBeenCalledWith('w-1');
  });

  it('downloads the VEX document of the entity', async () => {
    const entityRef = nextEntityRef();
    const createObjectURL = jest.fn().mockReturnValue('blob:vex');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function clickLink(this: HTMLAnchorElement) {
        expect(this.download).toBe(vexFileName(entityRef));
      });
    const exportVex = jest
      .fn()
      .mockResolvedValue(new Blob(['{}'], { type: 'application/json' }));
    await renderCard({
      entityRef,
      api: {
        listWaivers: jest.fn().mockResolvedValue({ items: [] }),
        exportVex,
      },
    });

    fireEvent.click(await screen.findByRole('button', { name: /Export VEX/ }));

    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(exportVex).toHaveBeenCalledWith(entityRef);
    expect(vexFileName('component:default/payments')).toBe(
      'payments.vex.cdx.json',
    );
    click.mockRestore();
  });

  it('says there are no waivers yet', async () => {
    const entityRef = nextEntityRef();
    await renderCard({
      entityRef,
      api: { listWaivers: jest.fn().mockResolvedValue({ items: [] }) },
    });

    expect(await screen.findByText(/^No waivers\./)).toBeInTheDocument();
  });

  it('shows the error when the waivers cannot be read', async () => {
    const entityRef = nextEntityRef();
    await renderCard({
      entityRef,
      api: {
        listWaivers: jest
          .fn()
          .mockRejectedValue(new Error('Not allowed: findings.read')),
      },
    });

    expect(
      await screen.findByText('Error: Not allowed: findings.read'),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const entityRef = nextEntityRef();
    await renderCard({
      entityRef,
      api: { listWaivers: () => new Promise(() => {}) },
    });

    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(screen.getByText('Waivers')).toBeInTheDocument();
  });
});
