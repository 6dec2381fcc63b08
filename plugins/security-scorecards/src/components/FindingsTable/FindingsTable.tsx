import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Finding,
  FINDING_CATEGORIES,
  FINDING_STATUSES,
  FindingCategory,
  FindingOrderField,
  FindingStatus,
  SEVERITIES,
  Severity,
  SLA_STATES,
  SlaState,
} from '@secdevops/plugin-security-scorecards-common';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useDebounce from 'react-use/esm/useDebounce';
import { securityScorecardsApiRef } from '../../api';
import {
  RemoteTableQuery,
  useRemoteTableData,
} from '../../hooks/useRemoteTableData';
import { SeverityChip } from '../SeverityChip';
import { SlaChip } from '../SlaChip';
import { formatDate, slaStateLabels } from '../format';
import { FindingDetails, RequestWaiverContext } from './FindingDetails';

/** The filters of the findings table, kept in the page URL so views can be linked. */
export interface FindingFilters {
  severities: Severity[];
  categories: FindingCategory[];
  /** Empty means every status. */
  statuses: FindingStatus[];
  scanners: string[];
  /** SLA states of open findings; empty means any. */
  slaStates: SlaState[];
  text: string;
}

const listOf = (value: string | null) =>
  value ? value.split(',').filter(Boolean) : [];

/** The values of a URL list the API knows; a hand-edited URL cannot break the table. */
function knownValuesOf<T extends string>(
  value: string | null,
  known: readonly T[],
): T[] {
  return listOf(value).filter((item): item is T =>
    (known as readonly string[]).includes(item),
  );
}

/**
 * The statuses shown without a `status` parameter: open findings, and the
 * waived ones, which stay in view (with their status) after a waiver.
 */
export const DEFAULT_FINDING_STATUSES: FindingStatus[] = ['open', 'waived'];

/**
 * Reads the filters from URL parameters named as in the findings API:
 * `severity`, `category`, `status` (default `open,waived`; `any` for all),
 * `scanner`, `q`, and `sla` for the SLA states (`within`, `due-soon`,
 * `breached`).
 */
export function findingFiltersFrom(
  parameters: URLSearchParams,
): FindingFilters {
  const status = parameters.get('status');
  return {
    severities: knownValuesOf(parameters.get('severity'), SEVERITIES),
    categories: knownValuesOf(parameters.get('category'), FINDING_CATEGORIES),
    statuses:
      status === 'any'
        ? []
        : knownValuesOf(
            status ?? DEFAULT_FINDING_STATUSES.join(','),
            FINDING_STATUSES,
          ),
    scanners: listOf(parameters.get('scanner')),
    slaStates: knownValuesOf(parameters.get('sla'), SLA_STATES),
    text: parameters.get('q') ?? '',
  };
}

function MultiSelect(props: {
  label: string;
  options: readonly string[];
  values: string[];
  onChange: (values: string[]) => void;
  /** How to name an option, by default the option with spaces. */
  labelOf?: (option: string) => string;
}) {
  const labelOf =
    props.labelOf ?? ((option: string) => option.replace('_', ' '));
  const id = `findings-filter-${props.label.toLowerCase()}`;
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth: 150 }}>
      <InputLabel id={id}>{props.label}</InputLabel>
      <Select
        labelId={id}
        label={props.label}
        multiple
        value={props.values}
        renderValue={selected =>
          (selected as string[]).length
            ? (selected as string[]).map(labelOf).join(', ')
            : 'any'
        }
        onChange={event => props.onChange(event.target.value as string[])}
      >
        {props.options.map(option => (
          <MenuItem key={option} value={option}>
            {labelOf(option)}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * A finding's status; a waived one as a chip that says why when pointed at,
 * and one its report suppresses (not a waiver) marked as such.
 */
function FindingStatusLabel(props: { finding: Finding }) {
  const { finding } = props;
  const theme = useTheme();
  if (finding.suppressedInReport) {
    return (
      <Box display="flex" flexDirection="column" alignItems="flex-start">
        {finding.status.replace('_', ' ')}
        <Chip
          size="small"
          variant="outlined"
          label="Suppressed in report"
          title={finding.statusReason}
          style={{
            borderColor: theme.palette.warning.main,
            color: theme.palette.warning.main,
            margin: 0,
          }}
        />
      </Box>
    );
  }
  if (finding.status !== 'waived')
    return <>{finding.status.replace('_', ' ')}</>;
  return (
    <Chip
      size="small"
      variant="outlined"
      label="waived"
      title={finding.statusReason}
      style={{
        borderColor: theme.palette.info.main,
        color: theme.palette.info.main,
        margin: 0,
      }}
    />
  );
}

const columns: TableColumn<Finding>[] = [
  {
    title: 'Severity',
    field: 'severity',
    width: '110px',
    render: finding => <SeverityChip severity={finding.severity} />,
  },
  {
    title: 'Finding',
    field: 'title',
    render: finding => (
      <>
        <Typography variant="body2">{finding.title}</Typography>
        <Typography variant="caption" color="textSecondary">
          {finding.ruleId}
          {finding.package &&
            ` · ${finding.package.name}${
              finding.package.version ? `@${finding.package.version}` : ''
            }`}
          {finding.location &&
            ` · ${finding.location.path}${
              finding.location.line ? `:${finding.location.line}` : ''
            }`}
        </Typography>
      </>
    ),
  },
  { title: 'Category', field: 'category', width: '100px' },
  {
    title: 'Status',
    field: 'status',
    width: '110px',
    render: finding => <FindingStatusLabel finding={finding} />,
  },
  { title: 'Scanner', field: 'scanner', width: '140px' },
  {
    title: 'Fix',
    field: 'package',
    sorting: false,
    render: finding =>
      finding.package?.fixedVersions.length
        ? finding.package.fixedVersions.join(', ')
        : '',
  },
  {
    title: 'Due',
    field: 'dueAt',
    width: '150px',
    sorting: false,
    render: finding =>
      finding.dueAt ? (
        <>
          <Typography
            variant="body2"
            title={new Date(finding.dueAt).toLocaleString()}
          >
            {formatDate(finding.dueAt)}
          </Typography>
          {finding.slaState && <SlaChip state={finding.slaState} />}
        </>
      ) : (
        ''
      ),
  },
  {
    title: 'First seen',
    field: 'firstSeenAt',
    width: '120px',
    render: finding => new Date(finding.firstSeenAt).toLocaleDateString(),
  },
];

/**
 * The findings of an entity: paged, sorted, filtered and searched on the
 * server; each row opens to its details.
 *
 * @public
 */
export function FindingsTable(props: {
  entityRef: string;
  /** Offers "Request waiver" on open findings; absent for users who may not. */
  onRequestWaiver?: (finding: Finding) => void;
  /** Changing it reloads the findings, e.g. after a waiver changed their status. */
  refreshKey?: number;
}) {
  const { entityRef, onRequestWaiver, refreshKey = 0 } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const [searchParameters, setSearchParameters] = useSearchParams();
  const filters = useMemo(
    () => findingFiltersFrom(searchParameters),
    [searchParameters],
  );
  const [text, setText] = useState(filters.text);

  const setFilter = useCallback(
    (name: string, value: string) => {
      setSearchParameters(
        current => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParameters],
  );
  useDebounce(() => text !== filters.text && setFilter('q', text), 400, [text]);

  const loadPage = useCallback(
    (query: RemoteTableQuery) =>
      securityScorecardsApi.listFindings({
        entityRef,
        severities: filters.severities,
        categories: filters.categories,
        statuses: filters.statuses,
        scanners: filters.scanners,
        slaStates: filters.slaStates,
        text: filters.text || undefined,
        orderBy:
          (query.orderBy?.field as FindingOrderField | undefined) ?? 'severity',
        order: (query.orderDirection as 'asc' | 'desc') || 'desc',
        limit: query.pageSize,
        offset: query.page * query.pageSize,
      }),
    [securityScorecardsApi, entityRef, filters],
  );
  const { data, error } = useRemoteTableData(loadPage);
  // Stable, so that re-rendering the table (e.g. when a permission arrives)
  // leaves open rows open.
  const detailPanel = useCallback(
    ({ rowData }: { rowData: Finding }) => <FindingDetails finding={rowData} />,
    [],
  );

  return (
    <RequestWaiverContext.Provider value={onRequestWaiver}>
      {error && <ResponseErrorPanel error={error} />}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={1}>
        <MultiSelect
          label="Severity"
          options={SEVERITIES}
          values={filters.severities}
          onChange={values => setFilter('severity', values.join(','))}
        />
        <MultiSelect
          label="Category"
          options={FINDING_CATEGORIES}
          values={filters.categories}
          onChange={values => setFilter('category', values.join(','))}
        />
        <MultiSelect
          label="Status"
          options={FINDING_STATUSES}
          values={filters.statuses}
          onChange={values => setFilter('status', values.join(',') || 'any')}
        />
        <MultiSelect
          label="SLA"
          options={SLA_STATES}
          values={filters.slaStates}
          labelOf={option => slaStateLabels[option as SlaState]}
          onChange={values => setFilter('sla', values.join(','))}
        />
        <TextField
          id="findings-search"
          label="Search"
          variant="outlined"
          size="small"
          value={text}
          onChange={event => setText(event.target.value)}
          placeholder="CVE, package, rule, path…"
        />
      </Box>
      <Table<Finding>
        key={`${searchParameters.toString()}#${refreshKey}`}
        title="Findings"
        columns={columns}
        data={data}
        detailPanel={detailPanel}
        options={{
          search: false,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          emptyRowsWhenPaging: false,
          padding: 'dense',
        }}
        localization={{
          body: { emptyDataSourceMessage: 'No findings match these filters.' },
        }}
      />
    </RequestWaiverContext.Provider>
  );
}
