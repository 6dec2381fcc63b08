import { ErrorBoundary, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Finding } from '@secdevops/plugin-security-scorecards-common';
import { createContext, ReactNode, useContext } from 'react';
import { SlaChip } from '../SlaChip';
import { dueIn } from '../format';
import { advisoryUrlOf, safeLinkOf } from './advisoryLinks';

function Detail(props: { label: string; children: ReactNode }) {
  return (
    <Box mb={1}>
      <Typography variant="overline" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Box>
  );
}

/**
 * Opens a waiver request for a finding; absent for users who may not request
 * one. A context rather than a prop: the table keeps the render function of
 * an open detail panel from when it was opened, and the permission may
 * arrive later.
 */
export const RequestWaiverContext = createContext<
  ((finding: Finding) => void) | undefined
>(undefined);

/**
 * Everything known about one finding, shown when its row is opened. Within a
 * {@link RequestWaiverContext}, an open finding offers to request a waiver.
 * A finding's fields come from third-party reports: whatever one of them
 * holds, a failure to render it stays inside this panel instead of taking
 * the table and the page down.
 */
export function FindingDetails(props: { finding: Finding }) {
  return (
    <ErrorBoundary>
      <FindingDetailsContent finding={props.finding} />
    </ErrorBoundary>
  );
}

function FindingDetailsContent(props: { finding: Finding }) {
  const { finding } = props;
  const onRequestWaiver = useContext(RequestWaiverContext);
  return (
    <Box p={2}>
      {onRequestWaiver && finding.status === 'open' && (
        <Box display="flex" justifyContent="flex-end" mb={1}>
          <Button
            size="small"
            variant="outlined"
            color="primary"
            onClick={() => onRequestWaiver(finding)}
          >
            Request waiver
          </Button>
        </Box>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={7}>
          <Detail label="Description">
            <Box style={{ whiteSpace: 'pre-wrap' }}>
              {finding.description ?? finding.title}
            </Box>
          </Detail>
          {finding.statusReason && (
            <Detail label={`Why ${finding.status.replace('_', ' ')}`}>
              {finding.statusReason}
            </Detail>
          )}
          {finding.references.length > 0 && (
            <Detail label="References">
              {finding.references.slice(0, 5).map(reference => {
                const url = safeLinkOf(reference);
                return (
                  <div key={reference}>
                    {url ? <Link to={url}>{reference}</Link> : reference}
                  </div>
                );
              })}
            </Detail>
          )}
        </Grid>
        <Grid item xs={12} md={5}>
          {finding.dueAt && (
            <Detail label="Due">
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                <span>
                  {`${new Date(finding.dueAt).toLocaleString()} (${dueIn(
                    finding.dueAt,
                  )})`}
                </span>
                {finding.slaState && <SlaChip state={finding.slaState} />}
              </Box>
            </Detail>
          )}
          <Detail label="Rule">{finding.ruleId}</Detail>
          {finding.location && (
            <Detail label="Location">
              {finding.location.path}
              {finding.location.line ? `:${finding.location.line}` : ''}
            </Detail>
          )}
          {finding.package && (
            <Detail label="Package">
              {finding.package.name}
              {finding.package.version ? `@${finding.package.version}` : ''}
              {finding.package.fixedVersions.length > 0 &&
                `, fixed in ${finding.package.fixedVersions.join(', ')}`}
            </Detail>
          )}
          {finding.identifiers.length > 0 && (
            <Detail label="Identifiers">
              {finding.identifiers.map(identifier => {
                const url = advisoryUrlOf(identifier);
                return (
                  <span key={identifier} style={{ marginRight: 8 }}>
                    {url ? <Link to={url}>{identifier}</Link> : identifier}
                  </span>
                );
              })}
            </Detail>
          )}
          {finding.cvss && (
            <Detail label="CVSS">
              {[
                finding.cvss.score !== undefined && `${finding.cvss.score}`,
                finding.cvss.version && `v${finding.cvss.version}`,
                finding.cvss.vector,
              ]
                .filter(Boolean)
                .join(' · ')}
            </Detail>
          )}
          {(finding.epss !== undefined || finding.knownExploited) && (
            <Detail label="Exploitation">
              {finding.knownExploited && 'Known exploited. '}
              {finding.epss !== undefined &&
                `EPSS ${(finding.epss * 100).toFixed(1)}%`}
            </Detail>
          )}
          {finding.secret && (
            <Detail label="Secret (redacted)">{finding.secret.redacted}</Detail>
          )}
          <Detail label="Seen">
            first {new Date(finding.firstSeenAt).toLocaleString()}, last{' '}
            {new Date(finding.lastSeenAt).toLocaleString()}
            {finding.fixedAt &&
              `, fixed ${new Date(finding.fixedAt).toLocaleString()}`}
          </Detail>
          <Detail label="Scanner">
            {finding.scanner} (source {finding.source})
          </Detail>
        </Grid>
      </Grid>
    </Box>
  );
}
