import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ChildGroupRollup,
  ComplianceRow,
} from '@secdevops/plugin-security-scorecards-common';
import { useEntitySecurityLink } from '../../hooks/useEntitySecurityLink';
import { shortRef } from '../format';

/** The column key of entities owned by the group itself. */
const SELF = 'self';

type Cell = ComplianceRow['cells'][string];

/**
 * A cell's background by its pass share: red (none pass) through amber to
 * green (all pass), translucent so the text reads in light and dark themes.
 */
export function complianceColour(cell: Cell | undefined): string | undefined {
  if (!cell || cell.pass + cell.fail === 0) return undefined;
  const share = cell.pass / (cell.pass + cell.fail);
  return `hsla(${Math.round(share * 120)}, 70%, 45%, 0.35)`;
}

function cellText(cell: Cell | undefined): string {
  if (!cell || cell.pass + cell.fail === 0) return 'n/a';
  return `${cell.pass}/${cell.pass + cell.fail}`;
}

/**
 * The rubric's checks against the child teams: how many of each team's
 * entities pass each check, coloured by the share that passes.
 */
export function ComplianceGrid(props: {
  rows: ComplianceRow[];
  groups: ChildGroupRollup[];
}) {
  const securityLink = useEntitySecurityLink();
  const hasSelf = props.rows.some(row => {
    const cell = row.cells[SELF];
    return cell && cell.pass + cell.fail + cell.notApplicable > 0;
  });
  const columns = [
    ...props.groups.map(child => ({
      key: child.groupRef,
      title: child.title ?? shortRef(child.groupRef),
      link: securityLink(child.groupRef),
    })),
    ...(hasSelf
      ? [{ key: SELF, title: 'Owned directly', link: undefined }]
      : []),
  ];
  const rows = [...props.rows].sort((a, b) => a.level - b.level);

  return (
    <InfoCard
      title="Compliance by check"
      subheader="Entities passing each check, of those it applies to"
    >
      {columns.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No teams to compare.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Compliance by check and team">
            <TableHead>
              <TableRow>
                <TableCell>Check</TableCell>
                {columns.map(column => (
                  <TableCell key={column.key} align="center">
                    {column.link ? (
                      <Link to={column.link}>{column.title}</Link>
                    ) : (
                      column.title
                    )}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(row => (
                <TableRow key={row.checkId}>
                  <TableCell component="th" scope="row">
                    <Box display="flex" style={{ gap: 8 }}>
                      <Typography variant="caption" color="textSecondary">
                        L{row.level}
                      </Typography>
                      <Typography variant="body2">{row.title}</Typography>
                    </Box>
                  </TableCell>
                  {columns.map(column => {
                    const cell = row.cells[column.key];
                    const text = cellText(cell);
                    return (
                      <TableCell
                        key={column.key}
                        align="center"
                        aria-label={`${row.title}, ${column.title}: ${
                          text === 'n/a' ? 'not applicable' : `${text} pass`
                        }`}
                        style={{ backgroundColor: complianceColour(cell) }}
                      >
                        {text}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </InfoCard>
  );
}
