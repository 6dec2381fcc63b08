import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Finding } from '@secdevops/plugin-security-scorecards-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { SecurityScorecardsApi, securityScorecardsApiRef } from '../../api';
import { findingFiltersFrom, FindingsTable } from './FindingsTable';
import { advisoryUrlOf } from './advisoryLinks';
import { dueIn } from '../format';

const entityRef = 'component:default/payments';

const lodashFinding: Finding = {
  id: '6a0a4d2e-0a8e-8f0e-9d3c-0c1a0a9c5e11',
  entityRef,
  source: 'trivy',
  severity: 'critical',
  category: 'sca',
  title: 'Prototype pollution in lodash',
  description: 'lodash before 4.17.21 allows prototype pollution.',
  ruleId: 'CVE-2021-23337',
  status: 'open',
  scanner: 'Trivy',
  package: {
    purl: 'pkg:npm/lodash@4.17.20',
    name: 'lodash',
    version: '4.17.20',
    ecosystem: 'npm',
    fixedVersions: ['4.17.21'],
  },
  location: { path: 'package-lock.json' },
  identifiers: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm', 'CWE-94'],
  cvss: { version: '3.1', score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L' },
  epss: 0.0123,
  knownExploited: false,
  references: ['https://nvd.nist.gov/vuln/detail/CVE-2021-23337'],
  firstSeenAt: '2026-11-01T10:00:00.000Z',
  lastSeenAt: '2026-11-27T10:00:00.000Z',
  dueAt: '2026-11-08T10:00:00.000Z',
  slaState: 'breached',
};

async function renderTable(
  api: Partial<SecurityScorecardsApi>,
  path = '/security',
  onRequestWaiver?: (finding: Finding) => void,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[securityScorecardsApiRef, api]]}>
      <FindingsTable entityRef={entityRef} onRequestWaiver={onRequestWaiver} />
    </TestApiProvider>,
    { routeEntries: [path] },
  );
}

describe('FindingsTable', () => {
  it('shows a page of open and waived findings, most severe first, by default', async () => {
    const listFindings = jest
      .fn()
      .mockResolvedValue({ items: [lodashFinding], totalCount: 1 });

    await renderTable({ listFindings });

    expect(
      await screen.findByText('Prototype pollution in lodash'),
    ).toBeInTheDocument();
    expect(screen.getByText('critical')).toBeInTheDocument();
    expect(screen.getByText('4.17.21')).toBeInTheDocument();
    expect(
      screen.getByText(
        new Date('2026-11-08T10:00:00.000Z').toLocaleDateString(),
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('past SLA')).toBeInTheDocument();
    expect(listFindings).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef,
        statuses: ['open', 'waived'],
        orderBy: 'severity',
        order: 'desc',
        limit: 20,
        offset: 0,
      }),
    );
  });

  it('takes its filters from the URL, so a view can be linked', async () => {
    const listFindings = jest
      .fn()
      .mockResolvedValue({ items: [], totalCount: 0 });

    await renderTable(
      { listFindings },
      '/security?severity=critical,high&category=secret&status=any&q=aws&sla=due-soon,breached',
    );

    expect(
      await screen.findByText('No findings match these filters.'),
    ).toBeInTheDocument();
    expect(listFindings).toHaveBeenCalledWith(
      expect.objectContaining({
        severities: ['critical', 'high'],
        categories: ['secret'],
        statuses: [],
        slaStates: ['due-soon', 'breached'],
        text: 'aws',
      }),
    );
  });

  it('opens a row to its details with advisory links', async () => {
    await renderTable({
      listFindings: jest
        .fn()
        .mockResolvedValue({ items: [lodashFinding], totalCount: 1 }),
    });
    await screen.findByText('Prototype pollution in lodash');

    fireEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );

    expect(
      await screen.findByText(
        'lodash before 4.17.21 allows prototype pollution.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('GHSA-35jh-r3h4-6jhm').closest('a'),
    ).toHaveAttribute(
      'href',
      'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
    );
    expect(screen.getByText(/EPSS 1.2%/)).toBeInTheDocument();
    const due = '2026-11-08T10:00:00.000Z';
    expect(
      screen.getByText(`${new Date(due).toLocaleString()} (${dueIn(due)})`),
    ).toBeInTheDocument();
  });

  it('renders report references of other schemes as text, never as links', async () => {
    // Built at run time: the lint forbids script URLs written out.
    const scriptUrl = ['javascript', 'alert(document.cookie)'].join(':');
    await renderTable({
      listFindings: jest.fn().mockResolvedValue({
        items: [
          {
            ...lodashFinding,
            references: [
              scriptUrl,
              'data:text/html,<script>alert(1)</script>',
              'https://example.com/advisory',
            ],
          },
        ],
        totalCount: 1,
      }),
    });
    await screen.findByText('Prototype pollution in lodash');

    fireEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );

    const script = await screen.findByText(scriptUrl);
    expect(script.closest('a')).toBeNull();
    expect(
      screen.getByText('data:text/html,<script>alert(1)</script>').closest('a'),
    ).toBeNull();
    expect(
      screen.getByText('https://example.com/advisory').closest('a'),
    ).toHaveAttribute('href', 'https://example.com/advisory');
  });

  it('keeps a finding whose details cannot be rendered inside its panel', async () => {
    const malformed = {
      ...lodashFinding,
      title: 'A finding from an odd report',
      // A field of the wrong shape, as an older or foreign backend might send.
      identifiers: 'CVE-2021-23337',
    } as unknown as Finding;
    jest.spyOn(console, 'error').mockImplementation(() => {});
    await renderTable({
      listFindings: jest
        .fn()
        .mockResolvedValue({ items: [malformed], totalCount: 1 }),
    });
    await screen.findByText('A finding from an odd report');

    fireEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );

    expect(
      await screen.findByText(/Something Went Wrong/i),
    ).toBeInTheDocument();
    // The table itself is still there.
    expect(
      screen.getByText('A finding from an odd report'),
    ).toBeInTheDocument();
  });

  it('marks a finding its report suppresses apart from waived ones', async () => {
    await renderTable({
      listFindings: jest.fn().mockResolvedValue({
        items: [
          {
            ...lodashFinding,
            status: 'not_affected',
            statusReason: 'vulnerable_code_not_in_execute_path',
            suppressedInReport: true,
            slaState: undefined,
          },
        ],
        totalCount: 1,
      }),
    });

    const chip = await screen.findByText('Suppressed in report');
    expect(chip.closest('[title]')).toHaveAttribute(
      'title',
      'vulnerable_code_not_in_execute_path',
    );
    expect(screen.getByText('not affected')).toBeInTheDocument();
  });

  it('keeps waived findings in view with their status and reason', async () => {
    await renderTable({
      listFindings: jest.fn().mockResolvedValue({
        items: [
          {
            ...lodashFinding,
            status: 'waived',
            statusReason: 'Waived until 2026-12-31: never compiled from input',
            slaState: undefined,
          },
        ],
        totalCount: 1,
      }),
    });

    const status = await screen.findByText('waived');
    expect(status.closest('[title]')).toHaveAttribute(
      'title',
      'Waived until 2026-12-31: never compiled from input',
    );
    expect(
      screen.getByText('Prototype pollution in lodash'),
    ).toBeInTheDocument();
  });

  it('offers to request a waiver from an open finding, when allowed', async () => {
    const onRequestWaiver = jest.fn();
    await renderTable(
      {
        listFindings: jest
          .fn()
          .mockResolvedValue({ items: [lodashFinding], totalCount: 1 }),
      },
      '/security',
      onRequestWaiver,
    );
    await screen.findByText('Prototype pollution in lodash');

    fireEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Request waiver' }),
    );

    expect(onRequestWaiver).toHaveBeenCalledWith(
      expect.objectContaining({ id: lodashFinding.id }),
    );
  });

  it.each([
    ['without permission', lodashFinding, undefined],
    ['for a waived finding', { ...lodashFinding, status: 'waived' }, jest.fn()],
  ] as const)(
    'does not offer a waiver %s',
    async (_case, finding, onRequestWaiver) => {
      await renderTable(
        {
          listFindings: jest
            .fn()
            .mockResolvedValue({ items: [finding], totalCount: 1 }),
        },
        '/security',
        onRequestWaiver,
      );
      await screen.findByText('Prototype pollution in lodash');
      fireEvent.click(
        screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
      );
      expect(
        await screen.findByText(
          'lodash before 4.17.21 allows prototype pollution.',
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Request waiver' }),
      ).not.toBeInTheDocument();
    },
  );

  it('shows the error when the backend fails', async () => {
    await renderTable({
      listFindings: jest.fn().mockRejectedValue(new Error('not allowed')),
    });

    expect(await screen.findByText('Error: not allowed')).toBeInTheDocument();
  });

  it('searches after typing stops', async () => {
    const listFindings = jest
      .fn()
      .mockResolvedValue({ items: [], totalCount: 0 });
    await renderTable({ listFindings });
    await screen.findByText('No findings match these filters.');

    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'lodash' },
    });

    await waitFor(() =>
      expect(listFindings).toHaveBeenLastCalledWith(
        expect.objectContaining({ text: 'lodash' }),
      ),
    );
  });
});

describe('findingFiltersFrom', () => {
  it('drops values the API does not know, so a hand-edited URL still works', () => {
    expect(
      findingFiltersFrom(
        new URLSearchParams(
          'severity=critical,urgent&status=open,closed&sla=breached,late',
        ),
      ),
    ).toMatchObject({
      severities: ['critical'],
      statuses: ['open'],
      slaStates: ['breached'],
    });
  });

  it('defaults to open and waived findings', () => {
    expect(findingFiltersFrom(new URLSearchParams(''))).toEqual({
      severities: [],
      categories: [],
      statuses: ['open', 'waived'],
      scanners: [],
      slaStates: [],
      text: '',
    });
  });
});

describe('advisoryUrlOf', () => {
  it.each([
    ['CVE-2021-44228', 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228'],
    [
      'GHSA-jfh8-c2jp-5v3q',
      'https://github.com/advisories/GHSA-jfh8-c2jp-5v3q',
    ],
    ['CWE-79', 'https://cwe.mitre.org/data/definitions/79.html'],
    ['RHSA-2021:1234', undefined],
  ])('links %s to %s', (identifier, url) => {
    expect(advisoryUrlOf(identifier)).toBe(url);
  });
});
