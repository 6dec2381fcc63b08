import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { securityScorecardsApiRef } from '../../api';
import { shortRef } from '../format';
import { downloadBlob } from './download';

/** The file name of a group's export, as the backend names it: `security-scorecards-payments.csv`. */
export function csvFileName(groupRef: string | undefined): string {
  const name = groupRef
    ? shortRef(groupRef).replace(/[^\w.-]/g, '_')
    : 'organization';
  return `security-scorecards-${name}.csv`;
}

/**
 * Downloads the scorecards of a group's entities (or the organisation's) as
 * CSV. The export route needs the user's credentials, so it is fetched and
 * saved from a blob rather than linked.
 */
export function DownloadCsvButton(props: { groupRef?: string }) {
  const { groupRef } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const blob = await securityScorecardsApi.exportGroupCsv({
        entityRef: groupRef,
      });
      downloadBlob(blob, csvFileName(groupRef));
    } catch (downloadError) {
      setError(downloadError as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      {error && (
        <Typography variant="body2" color="error" role="alert">
          Download failed: {error.message}
        </Typography>
      )}
      <Button
        variant="outlined"
        color="primary"
        size="small"
        startIcon={<GetAppIcon />}
        disabled={busy}
        onClick={download}
      >
        Download CSV
      </Button>
    </Box>
  );
}
