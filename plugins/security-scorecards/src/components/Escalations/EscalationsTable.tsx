import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useEntitySecurityLink } from '../../hooks/useEntitySecurityLink';
import { SeverityChip } from '../SeverityChip';
import {
  daysSince,
  dueIn,
  formatDate,
  formatDayCount,
  shortRef,
} from '../format';
import { EscalationLadder } from './EscalationLadder';
import { EscalationRow } from './ordering';

const closedReasonLabels: Record<string, string> = {
  resolved: 'resolved',
  'entity-removed': 'entity removed',
};

/** How long the oldest breach has been overdue; for a closed escalation, until it closed. */
function overdueDays(row: EscalationRow): number {
  const until =
    row.state === 'closed' && row.closedAt
      ? Date.parse(row.closedAt)
      : Date.now();
  return daysSince(row.breachedAt, until);
}

function NextStep(props: { row: EscalationRow }) {
  const { row } = props;
  if (row.state === 'closed') {
    const reason = row.closedReason
      ? closedReasonLabels[row.closedReason] ?? row.closedReason
      : undefined;
    return (
      <Typography variant="body2">
        Closed{row.closedAt ? ` ${formatDate(row.closedAt)}` : ''}
        {reason ? ` (${reason})` : ''}
      </Typography>
    );
  }
  if (!row.nextStepAt) {
    return (
      <Typography variant="body2" color="textSecondary">
        Top of the chain
      </Typography>
    );
  }
  return (
    <>
      <Typography
        variant="body2"
        title={new Date(row.nextStepAt).toLocaleString()}
      >
        {formatDate(row.nextStepAt)}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {dueIn(row.nextStepAt)}
      </Typography>
    </>
  );
}

/**
 * Escalations with their entity, severity, level and group, owner chain,
 * breached findings, days overdue and next step. Rows of the signed-in
 * user's groups are marked "your team"; the order is the caller's.
 */
export function EscalationsTable(props: {
  rows: EscalationRow[];
  title: string;
  subtitle?: string;
  emptyMessage: string;
  loading?: boolean;
}) {
  const securityLink = useEntitySecurityLink();
  const columns: TableColumn<EscalationRow>[] = [
    {
      title: 'Entity',
      field: 'entityRef',
      render: row => (
        <Box>
          <Link to={`${securityLink(row.entityRef)}?sla=breached`}>
            {shortRef(row.entityRef)}
          </Link>
          {row.mine && (
            <Box mt={0.5}>
              <Chip
                size="small"
                variant="outlined"
                color="primary"
                label="your team"
                style={{ margin: 0 }}
              />
            </Box>
          )}
        </Box>
      ),
    },
    {
      title: 'Severity',
      field: 'severity',
      width: '110px',
      render: row => <SeverityChip severity={row.severity} />,
    },
    {
      title: 'Level',
      field: 'level',
      width: '160px',
      render: row => (
        <>
          <Typography variant="body2">Level {row.level}</Typography>
          <Typography variant="caption" component="div">
            <EntityRefLink entityRef={row.targetRef} defaultKind="group" />
          </Typography>
        </>
      ),
    },
    {
      title: 'Owner chain',
      field: 'ladder',
      sorting: false,
      render: row => <EscalationLadder escalation={row} />,
    },
    {
      title: 'Breached findings',
      field: 'findingCount',
      type: 'numeric',
      width: '100px',
    },
    {
      title: 'Overdue',
      field: 'breachedAt',
      width: '110px',
      customSort: (a, b) => overdueDays(a) - overdueDays(b),
      render: row => (
        <span
          title={`Oldest breach ${new Date(row.breachedAt).toLocaleString()}`}
        >
          {formatDayCount(overdueDays(row))}
        </span>
      ),
    },
    {
      title: 'Next step',
      field: 'nextStepAt',
      width: '140px',
      render: row => <NextStep row={row} />,
    },
  ];
  return (
    <Table<EscalationRow>
      title={props.title}
      subtitle={props.subtitle}
      columns={columns}
      // The table marks its rows; it gets copies.
      data={props.rows.map(row => ({ ...row }))}
      isLoading={props.loading}
      options={{
        search: false,
        paging: props.rows.length > 20,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        emptyRowsWhenPaging: false,
        padding: 'dense',
      }}
      localization={{ body: { emptyDataSourceMessage: props.emptyMessage } }}
    />
  );
}
