import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { RollupEntity } from '@secdevops/plugin-security-scorecards-common';
import { useEntitySecurityLink } from '../../hooks/useEntitySecurityLink';
import { LevelBadge } from '../LevelBadge';
import {
  describeOpenFindings,
  formatScore,
  shortRef,
  timeAgo,
} from '../format';

/** The lowest-scoring entities of a rollup, lowest first, each linking to its Security tab. */
export function LowestEntitiesTable(props: { entities: RollupEntity[] }) {
  const securityLink = useEntitySecurityLink();
  const columns: TableColumn<RollupEntity>[] = [
    {
      title: 'Entity',
      field: 'entityRef',
      render: entity => (
        <Link to={securityLink(entity.entityRef)}>
          {entity.title ?? shortRef(entity.entityRef)}
        </Link>
      ),
    },
    {
      title: 'Owner',
      field: 'ownerRef',
      render: entity =>
        entity.ownerRef ? (
          <EntityRefLink entityRef={entity.ownerRef} defaultKind="group" />
        ) : (
          ''
        ),
    },
    {
      title: 'Level',
      field: 'level.rank',
      render: entity => <LevelBadge level={entity.level} />,
    },
    {
      title: 'Score',
      field: 'score',
      type: 'numeric',
      render: entity => formatScore(entity.score),
    },
    {
      title: 'Open findings',
      field: 'openFindings',
      sorting: false,
      render: entity => describeOpenFindings(entity.openFindings),
    },
    { title: 'Past SLA', field: 'pastSla', type: 'numeric' },
    {
      title: 'Graded',
      field: 'evaluatedAt',
      render: entity => (
        <span title={new Date(entity.evaluatedAt).toLocaleString()}>
          {timeAgo(entity.evaluatedAt)}
        </span>
      ),
    },
  ];
  return (
    <Table<RollupEntity>
      title="Lowest-scoring entities"
      columns={columns}
      data={props.entities}
      options={{ paging: false, search: false, padding: 'dense' }}
      localization={{
        body: { emptyDataSourceMessage: 'No graded entities.' },
      }}
    />
  );
}
