import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { WaiverHistoryEntry } from '@secdevops/plugin-security-scorecards-common';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { shortRef } from '../format';

/** A history entry's detail as "key: value" lines; values that are not text as JSON. */
export function detailLines(detail: WaiverHistoryEntry['detail']): string[] {
  return Object.entries(detail ?? {}).map(
    ([key, value]) =>
      `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
}

/** Every change of a waiver, oldest first: what, who, when and the detail. */
export function WaiverHistoryDialog(props: {
  waiverId: string;
  onClose: () => void;
}) {
  const { waiverId, onClose } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const history = useAsync(
    () => securityScorecardsApi.getWaiverHistory(waiverId),
    [securityScorecardsApi, waiverId],
  );

  let content: JSX.Element;
  if (history.loading) {
    content = <Progress />;
  } else if (history.error) {
    content = <ResponseErrorPanel error={history.error} />;
  } else if (!history.value?.items.length) {
    content = <Typography variant="body2">No changes recorded.</Typography>;
  } else {
    content = (
      <List dense>
        {history.value.items.map((entry, index) => (
          <ListItem key={`${entry.at}-${index}`} divider>
            <ListItemText
              primary={`${entry.action} by ${shortRef(entry.actor)}`}
              secondary={
                <>
                  {new Date(entry.at).toLocaleString()}
                  {detailLines(entry.detail).map(line => (
                    <span key={line} style={{ display: 'block' }}>
                      {line}
                    </span>
                  ))}
                </>
              }
            />
          </ListItem>
        ))}
      </List>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="waiver-history-title"
    >
      <DialogTitle id="waiver-history-title">Waiver history</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
