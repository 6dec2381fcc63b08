import { Link, Table, TableColumn } from '@backstage/core-components';
import {
  ChildGroupRollup,
  RubricLevel,
} from '@secdevops/plugin-security-scorecards-common';
import { useEntitySecurityLink } from '../../hooks/useEntitySecurityLink';
import { formatScore, formatShare, shortRef } from '../format';
import { LevelDistributionBar } from './LevelDistributionBar';

/** The child teams of a group side by side, each linking to its own Security tab. */
export function ChildGroupsTable(props: {
  groups: ChildGroupRollup[];
  levels?: RubricLevel[];
}) {
  const securityLink = useEntitySecurityLink();
  const columns: TableColumn<ChildGroupRollup>[] = [
    {
      title: 'Team',
      field: 'title',
      customSort: (a, b) =>
        (a.title ?? a.groupRef).localeCompare(b.title ?? b.groupRef),
      render: child => (
        <Link to={securityLink(child.groupRef)}>
          {child.title ?? shortRef(child.groupRef)}
        </Link>
      ),
    },
    { title: 'Entities', field: 'entityCount', type: 'numeric' },
    {
      title: 'Average score',
      field: 'averageScore',
      type: 'numeric',
      render: child => formatScore(child.averageScore),
    },
    {
      title: 'At target',
      field: 'shareAtTarget',
      type: 'numeric',
      render: child =>
        `${formatShare(child.shareAtTarget)} (${child.atTarget})`,
    },
    {
      title: 'Levels',
      field: 'levelDistribution',
      sorting: false,
      render: child => (
        <LevelDistributionBar
          distribution={child.levelDistribution}
          levels={props.levels}
          compact
        />
      ),
    },
    {
      title: 'Critical',
      field: 'openFindings.critical',
      type: 'numeric',
    },
    { title: 'High', field: 'openFindings.high', type: 'numeric' },
    { title: 'Past SLA', field: 'pastSla', type: 'numeric' },
  ];
  return (
    <Table<ChildGroupRollup>
      title="Teams"
      columns={columns}
      data={props.groups}
      options={{
        paging: props.groups.length > 20,
        pageSize: 20,
        search: props.groups.length > 10,
        padding: 'dense',
      }}
    />
  );
}
