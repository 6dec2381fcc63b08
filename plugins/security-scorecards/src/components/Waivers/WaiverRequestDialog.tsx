import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  Waiver,
  WAIVER_VEX_JUSTIFICATIONS,
  WaiverVexJustification,
} from '@secdevops/plugin-security-scorecards-common';
import { FormEvent, useState } from 'react';
import { securityScorecardsApiRef } from '../../api';
import { errorMessageOf } from '../format';
import {
  dateInDays,
  expiresAtFor,
  scopeTypeLabels,
  vexJustificationLabel,
  WaiverDraft,
  waiverRequestOf,
  WaiverScopeType,
} from './scope';

const valueLabels: Record<WaiverScopeType, string> = {
  finding: 'Finding id',
  rule: 'Rule id',
  package: 'Package URL (purl)',
};

const valueHelp: Record<WaiverScopeType, string> = {
  finding: 'The id of one finding of this entity',
  rule: 'e.g. CVE-2021-23337 or a SAST rule id',
  package:
    'e.g. pkg:npm/lodash@4.17.20; without a version it covers every version',
};

/** The longest justification the backend takes. */
const MAX_JUSTIFICATION_LENGTH = 4000;

/**
 * Requests a waiver for one finding, a rule or a package of an entity, with
 * a justification and an expiry at most `maxDays` ahead. The backend's
 * answer to a refused request (e.g. 400 naming the field) is shown as is.
 */
export function WaiverRequestDialog(props: {
  entityRef: string;
  draft: WaiverDraft;
  maxDays: number;
  onClose: () => void;
  onCreated: (waiver: Waiver) => void;
}) {
  const { entityRef, draft, maxDays, onClose, onCreated } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const [scopeType, setScopeType] = useState<WaiverScopeType>(draft.scopeType);
  const [values, setValues] = useState<Record<WaiverScopeType, string>>({
    finding: draft.findingId ?? '',
    rule: draft.ruleId ?? '',
    package: draft.purl ?? '',
  });
  const [justification, setJustification] = useState('');
  const [expiryDate, setExpiryDate] = useState(
    dateInDays(Math.min(30, maxDays)),
  );
  const [vexJustification, setVexJustification] = useState<
    WaiverVexJustification | ''
  >('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const value = values[scopeType];
  const complete =
    value.trim() !== '' && justification.trim() !== '' && expiryDate !== '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!complete) return;
    setBusy(true);
    setError(undefined);
    try {
      const waiver = await securityScorecardsApi.createWaiver(
        waiverRequestOf({
          entityRef,
          scopeType,
          value,
          justification,
          expiresAt: expiresAtFor(expiryDate, maxDays),
          vexJustification: vexJustification || undefined,
        }),
      );
      onCreated(waiver);
    } catch (requestError) {
      setError(errorMessageOf(requestError));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="waiver-request-title"
    >
      <form onSubmit={submit}>
        <DialogTitle id="waiver-request-title">Request a waiver</DialogTitle>
        <DialogContent>
          {draft.findingTitle && (
            <Typography variant="body2" color="textSecondary" gutterBottom>
              From the finding “{draft.findingTitle}”
            </Typography>
          )}
          <TextField
            select
            id="waiver-scope-type"
            label="Applies to"
            value={scopeType}
            onChange={event =>
              setScopeType(event.target.value as WaiverScopeType)
            }
            fullWidth
            margin="dense"
            variant="outlined"
          >
            {(Object.keys(scopeTypeLabels) as WaiverScopeType[]).map(type => (
              <MenuItem key={type} value={type}>
                {scopeTypeLabels[type]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="waiver-scope-value"
            label={valueLabels[scopeType]}
            helperText={valueHelp[scopeType]}
            value={value}
            onChange={event =>
              setValues(current => ({
                ...current,
                [scopeType]: event.target.value,
              }))
            }
            required
            fullWidth
            margin="dense"
            variant="outlined"
          />
          <TextField
            id="waiver-justification"
            label="Justification"
            helperText="Why the risk is accepted; shown to approvers and in the VEX export"
            value={justification}
            onChange={event => setJustification(event.target.value)}
            inputProps={{ maxLength: MAX_JUSTIFICATION_LENGTH }}
            required
            multiline
            minRows={3}
            fullWidth
            margin="dense"
            variant="outlined"
          />
          <TextField
            id="waiver-expiry"
            label="Expires"
            type="date"
            helperText={`At most ${maxDays} days ahead; the findings open again then`}
            value={expiryDate}
            onChange={event => setExpiryDate(event.target.value)}
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: dateInDays(1), max: dateInDays(maxDays) }}
            required
            fullWidth
            margin="dense"
            variant="outlined"
          />
          <TextField
            select
            id="waiver-vex-justification"
            label="VEX justification"
            helperText="Optional: why the vulnerability does not affect the entity (CycloneDX VEX)"
            value={vexJustification}
            onChange={event =>
              setVexJustification(
                event.target.value as WaiverVexJustification | '',
              )
            }
            fullWidth
            margin="dense"
            variant="outlined"
          >
            <MenuItem value="">None: the risk is accepted</MenuItem>
            {WAIVER_VEX_JUSTIFICATIONS.map(option => (
              <MenuItem key={option} value={option}>
                {vexJustificationLabel(option)}
              </MenuItem>
            ))}
          </TextField>
          {error && (
            <Typography variant="body2" color="error" role="alert">
              {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !complete}
          >
            Request waiver
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
