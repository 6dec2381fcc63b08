import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';

/**
 * Confirms rejecting (with an optional reason) or revoking a waiver.
 */
export function WaiverDecisionDialog(props: {
  decision: 'reject' | 'revoke';
  onCancel: () => void;
  onConfirm: (reason?: string) => void;
}) {
  const { decision, onCancel, onConfirm } = props;
  const [reason, setReason] = useState('');
  const title =
    decision === 'reject' ? 'Reject the waiver' : 'Revoke the waiver';
  return (
    <Dialog
      open
      onClose={onCancel}
      fullWidth
      maxWidth="xs"
      aria-labelledby="waiver-decision-title"
    >
      <DialogTitle id="waiver-decision-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {decision === 'reject'
            ? 'The waiver will not take effect.'
            : 'The findings it waives open again, with their original due dates.'}
        </DialogContentText>
        {decision === 'reject' && (
          <TextField
            id="waiver-reject-reason"
            label="Reason (optional)"
            value={reason}
            onChange={event => setReason(event.target.value)}
            inputProps={{ maxLength: 4000 }}
            multiline
            fullWidth
            variant="outlined"
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={() => onConfirm(reason.trim() || undefined)}
        >
          {decision === 'reject' ? 'Reject' : 'Revoke'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
