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
import { useEntitySecurityLink } from '../../hooks/useEntitySecurityLink';
import { describeOpenFindings, timeAgo } from '../format';
import { CollectorStatusList } from './CollectorStatusList';
import { ScorecardSummary } from './ScorecardSummary';

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
    render: scan => <ScanOutcome scan={scan} />,
  },
];

/**
 * The open findings of a scan, and apart from them those its report
 * suppresses; for a failed scan, why it failed (it changed nothing).
 */
function ScanOutcome(props: { scan: ScanSummary }) {
  const { scan } = props;
  if (scan.status === 'failed') {
    return (
      <Typography variant="body2" color="error">
        Scan failed{scan.error ? `: ${scan.error}` : ''}; no finding changed
      </Typography>
    );
  }
  const suppressed = scan.findings.suppressed ?? 0;
  return (
    <>
      {describeOpenFindings(scan.openFindings)}
      {suppressed > 0 && (
        <Typography variant="caption" color="textSecondary" component="div">
          {suppressed} suppressed in the report
        </Typography>
      )}
    </>
  );
}

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
 * Summary of the security of the current catalog entity: its maturity level,
 * score and trend, urgent findings, owner and champion, the latest scan of
 * each source, and how the pull collectors that apply to it last ran.
 *
 * @public
 */
export function EntitySecurityScorecardCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const securityLink = useEntitySecurityLink();
  const scans = useAsync(
    () =>
      securityScorecardsApi.listScanHistory({
        entityRef,
        limit: recentScanCount,
      }),
    [securityScorecardsApi, entityRef],
  );
  const scorecard = useAsync(
    () => securityScorecardsApi.getEntityScorecard({ entityRef }),
    [securityScorecardsApi, entityRef],
  );

  let content: JSX.Element;
  const hasScans = Boolean(scans.value && scans.value.items.length > 0);
  const collectors = scans.value?.collectors ?? [];
  if (scans.loading || scorecard.loading) {
    content = <Progress />;
  } else if (scans.error) {
    content = <ResponseErrorPanel error={scans.error} />;
  } else if (!hasScans) {
    content = (
      <>
        <FirstScanInstructions entityRef={entityRef} />
        {collectors.length > 0 && (
          <CollectorStatusList collectors={collectors} />
        )}
      </>
    );
  } else {
    content = (
      <>
        {scorecard.error && <ResponseErrorPanel error={scorecard.error} />}
        {scorecard.value && <ScorecardSummary scorecard={scorecard.value} />}
        <Typography variant="subtitle2" gutterBottom>
          Latest scan of each source
        </Typography>
        <Table<ScanSummary>
          columns={columns}
          data={latestScanPerSource(scans.value?.items ?? [])}
          options={{
            paging: false,
            search: false,
            toolbar: false,
            padding: 'dense',
          }}
        />
        {collectors.length > 0 && (
          <CollectorStatusList collectors={collectors} />
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Security scorecard"
      deepLink={
        hasScans
          ? { title: 'Findings and checks', link: securityLink(entityRef) }
          : undefined
      }
    >
      {content}
    </InfoCard>
  );
}
