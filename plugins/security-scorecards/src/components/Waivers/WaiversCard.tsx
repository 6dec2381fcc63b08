import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import GetAppIcon from '@material-ui/icons/GetApp';
import {
  securityScorecardsWaiverApprovePermission,
  securityScorecardsWaiverCreatePermission,
  Waiver,
} from '@secdevops/plugin-security-scorecards-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { securityScorecardsApiRef } from '../../api';
import { useOwnershipRefs } from '../../hooks/useOwnershipRefs';
import { downloadBlob } from '../GroupScorecard/download';
import {
  dueIn,
  errorMessageOf,
  formatDate,
  looksLikeEntityRef,
  shortRef,
} from '../format';
import { describeScope, vexJustificationLabel } from './scope';
import { WaiverDecisionDialog } from './WaiverDecisionDialog';
import { WaiverHistoryDialog } from './WaiverHistoryDialog';
import { WaiverStatusChip } from './WaiverStatusChip';

/** The file name of an entity's VEX export: `payments-api.vex.cdx.json`. */
export function vexFileName(entityRef: string): string {
  return `${shortRef(entityRef).replace(/[^\w.-]/g, '_')}.vex.cdx.json`;
}

/** A user or service who acted on a waiver, with when. */
function Actor(props: { prefix?: string; who?: string; at?: string }) {
  const { prefix, who, at } = props;
  if (!who) return null;
  return (
    <div>
      <Typography variant="body2" component="span">
        {prefix}
        {looksLikeEntityRef(who) && who.startsWith('user:') ? (
          <EntityRefLink entityRef={who} defaultKind="user" hideIcon />
        ) : (
          who
        )}
      </Typography>
      {at && (
        <Typography variant="caption" color="textSecondary" component="div">
          {formatDate(at)}
        </Typography>
      )}
    </div>
  );
}

type Decision = { waiver: Waiver; kind: 'reject' | 'revoke' };

/**
 * The waivers (risk acceptances) of an entity, newest first, with what each
 * covers, why, who asked and decided, until when and how many findings it
 * waives. Requesting, approving, rejecting and revoking are offered only to
 * users the permission policy allows; everyone who sees the card can read a
 * waiver's history and export the active waivers as CycloneDX VEX.
 */
export function WaiversCard(props: {
  entityRef: string;
  /** Changing it reloads the waivers, e.g. after one was requested elsewhere. */
  refreshKey?: number;
  /** Called after a waiver changed here, so findings can be reloaded. */
  onChanged?: () => void;
  /** Opens the request dialog; without it there is no "Request waiver" button. */
  onRequestWaiver?: () => void;
}) {
  const { entityRef, refreshKey, onChanged, onRequestWaiver } = props;
  const securityScorecardsApi = useApi(securityScorecardsApiRef);
  const canCreate = usePermission({
    permission: securityScorecardsWaiverCreatePermission,
    resourceRef: entityRef,
  });
  const canApprove = usePermission({
    permission: securityScorecardsWaiverApprovePermission,
    resourceRef: entityRef,
  });
  const { userEntityRef } = useOwnershipRefs();
  const [version, setVersion] = useState(0);
  const waivers = useAsync(
    () => securityScorecardsApi.listWaivers({ entityRef }),
    // `version` and `refreshKey` reload the list.
    [securityScorecardsApi, entityRef, refreshKey, version],
  );
  const [busyId, setBusyId] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [decision, setDecision] = useState<Decision>();
  const [historyId, setHistoryId] = useState<string>();
  const [exporting, setExporting] = useState(false);

  const act = async (
    waiver: Waiver,
    verb: string,
    action: () => Promise<unknown>,
  ) => {
    setBusyId(waiver.id);
    setActionError(undefined);
    try {
      await action();
      setVersion(current => current + 1);
      onChanged?.();
    } catch (error) {
      setActionError(`Could not ${verb} the waiver: ${errorMessageOf(error)}`);
    } finally {
      setBusyId(undefined);
    }
  };

  const exportVex = async () => {
    setExporting(true);
    setActionError(undefined);
    try {
      const blob = await securityScorecardsApi.exportVex(entityRef);
      downloadBlob(blob, vexFileName(entityRef));
    } catch (error) {
      setActionError(`Could not export VEX: ${errorMessageOf(error)}`);
    } finally {
      setExporting(false);
    }
  };

  const actionsOf = (waiver: Waiver) => {
    const mine = Boolean(userEntityRef) && waiver.requestedBy === userEntityRef;
    const busy = busyId === waiver.id;
    const buttons: JSX.Element[] = [];
    if (waiver.status === 'pending' && canApprove.allowed && !mine) {
      buttons.push(
        <Button
          key="approve"
          size="small"
          color="primary"
          disabled={busy}
          onClick={() =>
            act(waiver, 'approve', () =>
              securityScorecardsApi.approveWaiver(waiver.id),
            )
          }
        >
          Approve
        </Button>,
        <Button
          key="reject"
          size="small"
          disabled={busy}
          onClick={() => setDecision({ waiver, kind: 'reject' })}
        >
          Reject
        </Button>,
      );
    }
    if (
      (waiver.status === 'active' && canApprove.allowed) ||
      (waiver.status === 'pending' && mine)
    ) {
      buttons.push(
        <Button
          key="revoke"
          size="small"
          disabled={busy}
          onClick={() => setDecision({ waiver, kind: 'revoke' })}
        >
          {waiver.status === 'pending' ? 'Withdraw' : 'Revoke'}
        </Button>,
      );
    }
    buttons.push(
      <Button
        key="history"
        size="small"
        onClick={() => setHistoryId(waiver.id)}
      >
        History
      </Button>,
    );
    return buttons;
  };

  const columns: TableColumn<Waiver>[] = [
    {
      title: 'Status',
      field: 'status',
      width: '100px',
      render: waiver => <WaiverStatusChip status={waiver.status} />,
    },
    {
      title: 'Scope',
      field: 'scope',
      sorting: false,
      render: waiver => {
        const scope = describeScope(waiver.scope);
        return (
          <>
            <Typography variant="caption" color="textSecondary">
              {scope.label}
            </Typography>
            <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
              {scope.value}
            </Typography>
          </>
        );
      },
    },
    {
      title: 'Justification',
      field: 'justification',
      sorting: false,
      render: waiver => (
        <>
          <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
            {waiver.justification}
          </Typography>
          {waiver.vexJustification && (
            <Typography variant="caption" color="textSecondary">
              VEX: {vexJustificationLabel(waiver.vexJustification)}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Requested by',
      field: 'requestedBy',
      render: waiver => (
        <Actor who={waiver.requestedBy} at={waiver.requestedAt} />
      ),
    },
    {
      title: 'Approver',
      field: 'approvedBy',
      render: waiver => (
        <>
          <Actor who={waiver.approvedBy} at={waiver.approvedAt} />
          <Actor
            prefix="rejected by "
            who={waiver.rejectedBy}
            at={waiver.rejectedAt}
          />
          <Actor
            prefix="revoked by "
            who={waiver.revokedBy}
            at={waiver.revokedAt}
          />
        </>
      ),
    },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: waiver => (
        <>
          <Typography
            variant="body2"
            title={new Date(waiver.expiresAt).toLocaleString()}
          >
            {formatDate(waiver.expiresAt)}
          </Typography>
          {(waiver.status === 'active' || waiver.status === 'pending') && (
            <Typography variant="caption" color="textSecondary">
              {dueIn(waiver.expiresAt)}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Findings',
      field: 'findingCount',
      type: 'numeric',
      width: '90px',
    },
    {
      title: 'Actions',
      sorting: false,
      render: waiver => (
        <Box display="flex" flexWrap="wrap">
          {actionsOf(waiver)}
        </Box>
      ),
    },
  ];

  let content: JSX.Element;
  // A reload after a change keeps the list in view until the new one is there.
  if (waivers.loading && !waivers.value) {
    content = <Progress />;
  } else if (waivers.error) {
    content = <ResponseErrorPanel error={waivers.error} />;
  } else if (!waivers.value?.items.length) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No waivers. A waiver accepts the risk of a finding, a rule or a package
        until it expires: the findings leave the score and their SLA clock
        stops.
      </Typography>
    );
  } else {
    content = (
      <Table<Waiver>
        columns={columns}
        data={waivers.value.items.map(waiver => ({ ...waiver }))}
        options={{
          search: false,
          toolbar: false,
          paging: waivers.value.items.length > 10,
          pageSize: 10,
          emptyRowsWhenPaging: false,
          padding: 'dense',
        }}
      />
    );
  }

  return (
    <InfoCard
      title="Waivers"
      subheader="Accepted risks of this entity's findings"
      action={
        <Box display="flex" style={{ gap: 8 }} mt={1} mr={1}>
          {onRequestWaiver && canCreate.allowed && (
            <Button
              variant="contained"
              color="primary"
              size="small"
              startIcon={<AddIcon />}
              onClick={onRequestWaiver}
            >
              Request waiver
            </Button>
          )}
          <Button
            variant="outlined"
            color="primary"
            size="small"
            startIcon={<GetAppIcon />}
            disabled={exporting}
            onClick={exportVex}
          >
            Export VEX
          </Button>
        </Box>
      }
    >
      {actionError && (
        <Box mb={1}>
          <Typography variant="body2" color="error" role="alert">
            {actionError}
          </Typography>
        </Box>
      )}
      {content}
      {decision && (
        <WaiverDecisionDialog
          decision={decision.kind}
          onCancel={() => setDecision(undefined)}
          onConfirm={reason => {
            const { waiver, kind } = decision;
            setDecision(undefined);
            if (kind === 'reject') {
              act(waiver, 'reject', () =>
                securityScorecardsApi.rejectWaiver(waiver.id, reason),
              );
            } else {
              act(waiver, 'revoke', () =>
                securityScorecardsApi.revokeWaiver(waiver.id),
              );
            }
          }}
        />
      )}
      {historyId && (
        <WaiverHistoryDialog
          waiverId={historyId}
          onClose={() => setHistoryId(undefined)}
        />
      )}
    </InfoCard>
  );
}
