import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EntityScorecard,
  Finding,
  RubricResponse,
} from '@secdevops/plugin-security-scorecards-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { EntitySecurityContent } from './EntitySecurityContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments' },
};
const entityRef = 'component:default/payments';

const rubric: RubricResponse = {
  levels: [
    { rank: 1, name: 'Baseline' },
    { rank: 2, name: 'Managed' },
  ],
  checks: [],
  targetLevel: 2,
};

const scorecard: EntityScorecard = {
  entityRef,
  level: { rank: 1, name: 'Baseline' },
  score: 55,
  checks: [
    {
      id: 'sbom',
      title: 'SBOM present',
      level: 1,
      status: 'pass',
      evidence: 'CycloneDX SBOM from 2 days ago',
      guidance: 'Generate an SBOM in CI.',
    },
    {
      id: 'no-secrets',
      title: 'No open secret findings',
      level: 2,
      status: 'fail',
      evidence: '2 open secret findings',
      guidance: 'Rotate the secrets, then remove them from the history.',
    },
  ],
  openFindings: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
  pastSla: 0,
  lastScans: {},
  evaluatedAt: '2026-11-28T10:00:00.000Z',
  trend: {
    days30: { days: 30, to: 55, delta: 0, direction: 'flat' },
    days90: { days: 90, to: 55, delta: 0, direction: 'flat' },
  },
};

function apiWith(overrides: Partial<SecurityScorecardsApi> = {}) {
  return {
    getEntityScorecard: jest.fn().mockResolvedValue(scorecard),
    getRubric: jest.fn().mockResolvedValue(rubric),
    getScorecardHistory: jest.fn().mockResolvedValue({
      entityRef,
      items: [
        {
          day: '2026-11-27',
          score: 50,
          openFindings: { critical: 1, high: 1, medium: 0, low: 0, info: 0 },
          pastSla: 1,
        },
        {
          day: '2026-11-28',
          score: 55,
          openFindings: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
          pastSla: 0,
        },
      ],
    }),
    listFindings: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    listDependencies: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    listWaivers: jest.fn().mockResolvedValue({ items: [] }),
    ...overrides,
  };
}

async function renderContent(
  api: Partial<SecurityScorecardsApi>,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.DENY,
  // Permission answers are cached per entity for the whole file
  // (usePermission's SWR cache): tests of permissions use their own entity.
  shown: Entity = entity,
) {
  const authorizeMock = jest.fn(() => authorize);
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [securityScorecardsApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize: authorizeMock })],
        [identityApiRef, mockApis.identity()],
      ]}
    >
      <EntityProvider entity={shown}>
        <EntitySecurityContent />
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: ['/security'] },
  );
  return { authorize: authorizeMock };
}

function entityNamed(name: string): Entity {
  return { ...entity, metadata: { ...entity.metadata, name } };
}

const finding: Finding = {
  id: '6a0a4d2e-0a8e-8f0e-9d3c-0c1a0a9c5e11',
  entityRef,
  source: 'trivy',
  severity: 'high',
  category: 'sca',
  title: 'Prototype pollution in lodash',
  ruleId: 'CVE-2021-23337',
  status: 'open',
  scanner: 'Trivy',
  package: {
    purl: 'pkg:npm/lodash@4.17.20',
    name: 'lodash',
    version: '4.17.20',
    fixedVersions: ['4.17.21'],
  },
  identifiers: ['CVE-2021-23337'],
  knownExploited: false,
  references: [],
  firstSeenAt: '2026-11-01T10:00:00.000Z',
  lastSeenAt: '2026-11-27T10:00:00.000Z',
};

describe('EntitySecurityContent', () => {
  it('shows the checklist by level, the history and the findings', async () => {
    const api = apiWith();

    await renderContent(api);

    expect(
      await screen.findByText('No open secret findings'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('L1 Baseline').length).toBeGreaterThan(0);
    expect(screen.getByText('L2 Managed')).toBeInTheDocument();
    expect(screen.getByText('Score 55 / 100')).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: /^Score from 50 to 55/ }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No findings match these filters.'),
    ).toBeInTheDocument();
    expect(api.getScorecardHistory).toHaveBeenCalledWith({
      entityRef,
      days: 90,
    });
  });

  it('keeps the findings when the scorecard fails', async () => {
    await renderContent(
      apiWith({
        getEntityScorecard: jest
          .fn()
          .mockRejectedValue(new Error('not graded yet')),
      }),
    );

    expect(
      await screen.findByText('Error: not graded yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No findings match these filters.'),
    ).toBeInTheDocument();
  });

  it('requests a waiver from a finding and reloads findings and waivers', async () => {
    const createWaiver = jest.fn().mockResolvedValue({ id: 'w-1' });
    const listFindings = jest.fn().mockImplementation(async () => ({
      items: [
        {
          ...finding,
          status: createWaiver.mock.calls.length ? 'waived' : 'open',
        },
      ],
      totalCount: 1,
    }));
    const listWaivers = jest.fn().mockResolvedValue({ items: [] });
    await renderContent(
      apiWith({ listFindings, listWaivers, createWaiver }),
      AuthorizeResult.ALLOW,
      entityNamed('payments-allowed'),
    );

    await screen.findByText('Prototype pollution in lodash');
    fireEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );
    // The card offers a request too; this one is in the finding's details.
    await waitFor(() =>
      expect(
        screen.getAllByRole('button', { name: 'Request waiver' }),
      ).toHaveLength(2),
    );
    const requests = screen.getAllByRole('button', { name: 'Request waiver' });
    fireEvent.click(
      requests.find(button => !button.querySelector('svg')) ?? requests[0],
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/Finding id/)).toHaveValue(finding.id);
    fireEvent.change(within(dialog).getByLabelText(/Justification/), {
      target: { value: 'Only used in tests' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );

    await waitFor(() =>
      expect(createWaiver).toHaveBeenCalledWith(
        expect.objectContaining({
          entityRef: 'component:default/payments-allowed',
          findingId: finding.id,
          justification: 'Only used in tests',
        }),
      ),
    );
    expect(await screen.findByText('waived')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(listWaivers).toHaveBeenCalledTimes(2);
    // A whole tab with a dialog: slow on a busy machine.
  }, 20_000);

  it('offers no waiver request to users who may not create waivers', async () => {
    const { authorize } = await renderContent(
      apiWith({
        listFindings: jest
          .fn()
          .mockResolvedValue({ items: [finding], totalCount: 1 }),
      }),
      AuthorizeResult.DENY,
      entityNamed('payments-denied'),
    );

    await screen.findByText('Prototype pollution in lodash');
    expect(await screen.findByText(/^No waivers\./)).toBeInTheDocument();
    await waitFor(() => expect(authorize).toHaveBeenCalled());
    await act(async () => {});
    fireEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );
    expect(await screen.findByText('Rule')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Request waiver/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Export VEX/ }),
    ).toBeInTheDocument();
  });
});
