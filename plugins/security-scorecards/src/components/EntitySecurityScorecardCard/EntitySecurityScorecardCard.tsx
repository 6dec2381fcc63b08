import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CodeSnippet,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ScanSummary } from '@secdevops/plugin-security-scorecards-common';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { describeOpenFindings, timeAgo } from '../format';

/** How many recent scans the card reads to find the latest scan of each source. */
const recentScanCount = 50;

/** The newest scan of each source, in the order the scans came (newest first). */
export function latestScanPerSource(scans: ScanSummary[]): ScanSummary[] {
  const seenSources = new Set<string>();
  return scans.filter(scan => {
    if (seenSources.has(scan.source)) return false;
    seenSources.add(scan.source);
    return true;
  });
}

const columns: TableColumn<ScanSummary>[] = [
  {
    title: 'Source',
    field: 'source',
    render: scan => (
      <>
        <Typography variant="body2">
          <strong>{scan.source}</strong>
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {scan.scanner}
        </Typography>
      </>
    ),
  },
  {
    title: 'Scanned',
    field: 'createdAt',
    render: scan => (
      <span title={new Date(scan.createdAt).toLocaleString()}>
        {timeAgo(scan.createdAt)}
      </span>
    ),
  },
  {
    title: 'Open findings',
    field: 'openFindings',
    sorting: false,
    render: scan => describeOpenFindings(scan.openFindings),
  },
];

function FirstScanInstructions(props: { entityRef: string }) {
  return (
    <Box>
      <Typography variant="body1" gutterBottom>
        No scans have been sent for this entity yet.
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Send the first one from your CI pipeline:
      </Typography>
      <CodeSnippet
        language="shell"
        showCopyCodeButton
        text={`npx @secdevops/security-scorecards-cli upload --entity ${props.entityRef} --file results.sarif`}
      />
    </Box>
  );
}

/**
 * Summary of the security scans of the current catalog entity.
 *
 * @public
 */
export function EntitySecurityScorecardCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const {
    value: scans,
    loading,
    error,
  } = useAsync(
    () =>
      securityScorecardsApi.listScans({ entityRef, limit: recentScanCount }),
    [securityScorecardsApi, entityRef],
  );

  let content: JSX.Element;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!scans || scans.length === 0) {
    content = <FirstScanInstructions entityRef={entityRef} />;
  } else {
    content = (
      <Table<ScanSummary>
        columns={columns}
        data={latestScanPerSource(scans)}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
      />
    );
  }

  return (
    <InfoCard title="Security scorecard" subheader="Latest scan of each source">
      {content}
    </InfoCard>
  );
}
