import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { Dependency } from '@secdevops/plugin-security-scorecards-common';
import { useCallback } from 'react';
import { securityScorecardsApiRef } from '../../api';
import {
  RemoteTableQuery,
  useRemoteTableData,
} from '../../hooks/useRemoteTableData';
import { describeOpenFindings } from '../format';

const columns: TableColumn<Dependency>[] = [
  {
    title: 'Package',
    field: 'name',
    render: dependency => (
      <>
        <Typography variant="body2">{dependency.name}</Typography>
        {dependency.purl && (
          <Typography variant="caption" color="textSecondary">
            {dependency.purl}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Version', field: 'version' },
  { title: 'Ecosystem', field: 'ecosystem' },
  {
    title: 'Direct',
    field: 'direct',
    render: dependency => {
      if (dependency.direct === undefined) return '';
      return dependency.direct ? 'direct' : 'transitive';
    },
  },
  {
    title: 'Licences',
    field: 'licenses',
    render: dependency => dependency.licenses.join(', '),
  },
  {
    title: 'Open findings',
    field: 'openFindings',
    render: dependency =>
      dependency.vulnerable ? (
        <Typography variant="body2" color="error">
          {describeOpenFindings(dependency.openFindings)}
        </Typography>
      ) : (
        'none'
      ),
  },
];

/**
 * The dependencies of an entity from its SBOMs and scans, vulnerable first.
 *
 * @public
 */
export function DependenciesTable(props: { entityRef: string }) {
  const { entityRef } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const loadPage = useCallback(
    (query: RemoteTableQuery) =>
      securityScorecardsApi.listDependencies({
        entityRef,
        text: query.search || undefined,
        limit: query.pageSize,
        offset: query.page * query.pageSize,
      }),
    [securityScorecardsApi, entityRef],
  );
  const { data, error } = useRemoteTableData(loadPage);

  return (
    <>
      {error && <ResponseErrorPanel error={error} />}
      <Table<Dependency>
        title="Dependencies"
        columns={columns.map(column => ({ ...column, sorting: false }))}
        data={data}
        options={{
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          emptyRowsWhenPaging: false,
          padding: 'dense',
          debounceInterval: 400,
        }}
        localization={{
          body: {
            emptyDataSourceMessage:
              'No dependencies known: send an SBOM (CycloneDX or SPDX) or a dependency scan.',
          },
        }}
      />
    </>
  );
}
