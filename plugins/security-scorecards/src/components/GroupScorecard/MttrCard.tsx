import { InfoCard } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import {
  SEVERITIES,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';
import { SeverityChip } from '../SeverityChip';
import { formatDays } from '../format';

/** Mean time to remediate per severity, over the fixes of the last 90 days. */
export function MttrCard(props: { mttrDays: Record<Severity, number | null> }) {
  return (
    <InfoCard
      title="Mean time to remediate"
      subheader="Fixes of the last 90 days"
      variant="gridItem"
    >
      <Table size="small" aria-label="Mean time to remediate">
        <TableBody>
          {SEVERITIES.map(severity => (
            <TableRow key={severity}>
              <TableCell>
                <SeverityChip severity={severity} />
              </TableCell>
              <TableCell align="right">
                {formatDays(props.mttrDays[severity])}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
