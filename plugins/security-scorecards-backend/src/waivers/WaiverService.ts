import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  versionOfPurl,
  WAIVER_VEX_JUSTIFICATIONS,
  Waiver,
  WaiverAction,
  WaiverHistoryEntry,
  WaiverScope,
  WaiverStatus,
  WaiverVexJustification,
  DAY_MS,
} from '@secdevops/plugin-security-scorecards-common';
import { Request } from 'express';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  batches,
  migratedDatabaseClient,
  timestampValue,
  toDate,
} from '../database/sql';
import { buildWaiverVex, CycloneDxVexDocument, VexFindingRow } from './vex';
import {
  lockEntityFindings,
  RawWaiverRow,
  reopenFindingsOf,
  waiveMatchingFindings,
  applyActiveWaivers,
} from './waiverFindings';

const DEFAULT_MAX_DAYS = 90;
/** Longest justification or rejection reason accepted, in characters. */
export const MAX_JUSTIFICATION_LENGTH = 4000;
const MAX_RULE_ID_LENGTH = 255;
const MAX_PURL_LENGTH = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const PURL = /^pkg:[a-zA-Z0-9.+-]+\/\S+$/;
const CREATE_FIELDS = [
  'entityRef',
  'findingId',
  'ruleId',
  'purl',
  'justification',
  'expiresAt',
  'vexJustification',
];
/** The actor of changes nobody made, such as an expiry. */
export const SYSTEM_ACTOR = 'system';

/** A waiver request, validated. */
export interface NewWaiver {
  entityRef: string;
  scope: WaiverScope;
  justification: string;
  vexJustification?: WaiverVexJustification;
  expiresAt: Date;
}

/** Who changes a waiver, and the request it came in, for the auditor. */
export interface WaiverActor {
  /** User entity ref or service subject. */
  ref: string;
  request?: Request;
}

/** A row of the `waiver_events` table. */
type RawWaiverEventRow = {
  id?: number | string;
  waiver_id: string;
  action: WaiverAction;
  actor: string;
  at: Date | string | number;
  detail: string | null;
};

/**
 * Waivers (risk acceptances): requests, approval, revocation, expiry, their
 * history and their CycloneDX VEX export. An active waiver makes the open
 * findings of its entity that its scope covers `waived`, recording itself in
 * `findings.waiver_id`, so that everything that counts open findings (scores,
 * SLA, gates) leaves them out; when it ends, exactly those findings open again
 * with their original first seen time.
 *
 * @internal
 */
export class WaiverService {
  static async create(options: {
    database: DatabaseService;
    config?: Config;
    auditor?: AuditorService;
    logger?: LoggerService;
    clock?: () => Date;
    /** Called after findings of an entity were waived or opened again. */
    onFindingsChanged?: (entityRef: string) => Promise<void> | void;
  }): Promise<WaiverService> {
    const maxDays =
      options.config?.getOptionalNumber('securityScorecards.waivers.maxDays') ??
      DEFAULT_MAX_DAYS;
    if (!Number.isFinite(maxDays) || maxDays <= 0) {
      throw new Error(
        `securityScorecards.waivers.maxDays must be a positive number of days; got ${maxDays}`,
      );
    }
    return new WaiverService(
      await migratedDatabaseClient(options.database),
      {
        maxDays,
        requireApproval:
          options.config?.getOptionalBoolean(
            'securityScorecards.waivers.requireApproval',
          ) ?? false,
      },
      options.clock ?? (() => new Date()),
      options.auditor,
      options.logger,
      options.onFindingsChanged,
    );
  }

  private constructor(
    private readonly db: Knex,
    readonly settings: { maxDays: number; requireApproval: boolean },
    private readonly clock: () => Date,
    private readonly auditor?: AuditorService,
    private readonly logger?: LoggerService,
    private readonly onFindingsChanged?: (
      entityRef: string,
    ) => Promise<void> | void,
  ) {}

  /**
   * Validates the body of a waiver request.
   *
   * @throws InputError naming the field that is missing or wrong
   */
  parseRequest(body: unknown): NewWaiver {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InputError('The request body must be a JSON object');
    }
    const fields = body as Record<string, unknown>;
    const unknownFields = Object.keys(fields).filter(
      key => !CREATE_FIELDS.includes(key),
    );
    if (unknownFields.length > 0) {
      throw new InputError(
        `Unknown field ${unknownFields.join(
          ', ',
        )}; a waiver takes ${CREATE_FIELDS.join(', ')}`,
      );
    }

    const entityRefText = requiredString(fields, 'entityRef');
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(parseEntityRef(entityRefText));
    } catch (error) {
      throw new InputError(
        `entityRef is not an entity reference, e.g. component:default/payments: ${error}`,
      );
    }

    const given = (['findingId', 'ruleId', 'purl'] as const).filter(
      key => fields[key] !== undefined && fields[key] !== null,
    );
    if (given.length !== 1) {
      throw new InputError(
        `Give exactly one of findingId, ruleId or purl; got ${
          given.length === 0 ? 'none' : given.join(' and ')
        }`,
      );
    }
    let scope: WaiverScope;
    if (given[0] === 'findingId') {
      const findingId = requiredString(fields, 'findingId');
      if (!UUID.test(findingId)) {
        throw new InputError(
          `findingId must be the id of a finding (a UUID); got '${findingId}'`,
        );
      }
      scope = { findingId: findingId.toLowerCase() };
    } else if (given[0] === 'ruleId') {
      scope = {
        ruleId: requiredString(fields, 'ruleId', MAX_RULE_ID_LENGTH),
      };
    } else {
      const purl = requiredString(fields, 'purl', MAX_PURL_LENGTH);
      if (!PURL.test(purl)) {
        throw new InputError(
          `purl must be a package URL, e.g. pkg:npm/lodash or pkg:npm/lodash@4.17.20; got '${purl}'`,
        );
      }
      if (versionOfPurl(purl) === undefined && /[?#]/.test(purl)) {
        throw new InputError(
          `purl without a version covers every version of a package and takes no qualifiers or subpath; got '${purl}'`,
        );
      }
      scope = { purl };
    }

    const justification = requiredString(
      fields,
      'justification',
      MAX_JUSTIFICATION_LENGTH,
    );

    let vexJustification: WaiverVexJustification | undefined;
    if (
      fields.vexJustification !== undefined &&
      fields.vexJustification !== null
    ) {
      if (
        !(WAIVER_VEX_JUSTIFICATIONS as readonly unknown[]).includes(
          fields.vexJustification,
        )
      ) {
        throw new InputError(
          `vexJustification must be one of ${WAIVER_VEX_JUSTIFICATIONS.join(
            ', ',
          )}; got ${JSON.stringify(fields.vexJustification)}`,
        );
      }
      vexJustification = fields.vexJustification as WaiverVexJustification;
    }

    const expiresAtText = requiredString(fields, 'expiresAt');
    const expiresAt = new Date(expiresAtText);
    if (!ISO_TIME.test(expiresAtText) || Number.isNaN(expiresAt.getTime())) {
      throw new InputError(
        `expiresAt must be an ISO 8601 date or time, e.g. 2026-03-31 or 2026-03-31T12:00:00Z; got '${expiresAtText}'`,
      );
    }
    const now = this.clock();
    if (expiresAt.getTime() <= now.getTime()) {
      throw new InputError(
        `expiresAt must be in the future; got ${expiresAt.toISOString()}`,
      );
    }
    const latest = new Date(now.getTime() + this.settings.maxDays * DAY_MS);
    if (expiresAt.getTime() > latest.getTime()) {
      throw new InputError(
        `expiresAt must be at most ${
          this.settings.maxDays
        } days ahead (securityScorecards.waivers.maxDays), no later than ${latest.toISOString()}; got ${expiresAt.toISOString()}`,
      );
    }

    return {
      entityRef,
      scope,
      justification,
      ...(vexJustification ? { vexJustification } : {}),
      expiresAt,
    };
  }

  /**
   * Requests a waiver. It is active at once, unless
   * `securityScorecards.waivers.requireApproval` is set: then it is pending
   * until someone else approves it.
   *
   * @throws InputError on an invalid request
   * @throws NotFoundError when the entity has no such finding
   */
  async createWaiver(body: unknown, actor: WaiverActor): Promise<Waiver> {
    const { waiver, waived } = await this.audited(
      'waiver-create',
      'medium',
      actor,
      { actionType: 'create' },
      async () => {
        const input = this.parseRequest(body);
        const now = this.clock();
        const status: WaiverStatus = this.settings.requireApproval
          ? 'pending'
          : 'active';
        const row: RawWaiverRow = {
          id: randomUUID(),
          entity_ref: input.entityRef,
          finding_id: 'findingId' in input.scope ? input.scope.findingId : null,
          rule_id: 'ruleId' in input.scope ? input.scope.ruleId : null,
          purl: 'purl' in input.scope ? input.scope.purl : null,
          justification: input.justification,
          vex_justification: input.vexJustification ?? null,
          status,
          requested_by: actor.ref,
          requested_at: timestampValue(this.db, now),
          approved_by: null,
          approved_at: null,
          rejected_by: null,
          rejected_at: null,
          expires_at: timestampValue(this.db, input.expiresAt),
          revoked_by: null,
          revoked_at: null,
        };
        const findingsWaived = await this.db.transaction(async tx => {
          await lockEntityFindings(tx, input.entityRef);
          if (row.finding_id !== null) {
            const finding = await tx('findings')
              .where({ id: row.finding_id, entity_ref: input.entityRef })
              .first('id');
            if (!finding) {
              throw new NotFoundError(
                `${input.entityRef} has no finding ${row.finding_id}`,
              );
            }
          }
          await tx('waivers').insert(row);
          const count =
            status === 'active' ? await waiveMatchingFindings(tx, row) : 0;
          await this.recordEvent(tx, row.id, 'requested', actor.ref, now, {
            status,
            scope: input.scope,
            justification: input.justification,
            expiresAt: input.expiresAt.toISOString(),
            ...(status === 'active' ? { findingsWaived: count } : {}),
          });
          return count;
        });
        const created = await this.getWaiver(row.id, { expire: false });
        return {
          value: { waiver: created, waived: findingsWaived },
          meta: auditMeta(created, { findingsWaived }),
        };
      },
    );
    if (waived > 0) await this.findingsChanged(waiver.entityRef);
    return waiver;
  }

  /**
   * Approves a pending waiver, which makes it active. The approver must be
   * someone other than the requester, and allowed to approve on the entity.
   */
  async approve(
    id: string,
    actor: WaiverActor & { mayApprove: boolean },
  ): Promise<Waiver> {
    return this.change(id, actor, {
      eventId: 'waiver-approve',
      severityLevel: 'high',
      action: 'approved',
      apply: async (tx, waiver, now) => {
        this.checkDecision(waiver, actor, 'approve');
        await tx('waivers')
          .where({ id, status: 'pending' })
          .update({
            status: 'active',
            approved_by: actor.ref,
            approved_at: timestampValue(this.db, now),
          });
        const findingsWaived = await waiveMatchingFindings(tx, waiver);
        return { changedFindings: findingsWaived, detail: { findingsWaived } };
      },
    });
  }

  /** Rejects a pending waiver. The same rules as approval apply. */
  async reject(
    id: string,
    actor: WaiverActor & { mayApprove: boolean },
    reason?: string,
  ): Promise<Waiver> {
    return this.change(id, actor, {
      eventId: 'waiver-reject',
      severityLevel: 'low',
      action: 'rejected',
      apply: async (tx, waiver, now) => {
        this.checkDecision(waiver, actor, 'reject');
        await tx('waivers')
          .where({ id, status: 'pending' })
          .update({
            status: 'rejected',
            rejected_by: actor.ref,
            rejected_at: timestampValue(this.db, now),
          });
        return { changedFindings: 0, detail: reason ? { reason } : {} };
      },
    });
  }

  /**
   * Revokes a pending or active waiver: its findings open again. Allowed to
   * whoever may approve waivers on the entity, and to the requester while
   * the waiver is pending.
   */
  async revoke(
    id: string,
    actor: WaiverActor & { mayApprove: boolean },
  ): Promise<Waiver> {
    return this.change(id, actor, {
      eventId: 'waiver-revoke',
      severityLevel: 'medium',
      action: 'revoked',
      apply: async (tx, waiver, now) => {
        if (waiver.status !== 'pending' && waiver.status !== 'active') {
          throw new ConflictError(
            `Waiver ${id} is ${waiver.status}; only a pending or active waiver can be revoked`,
          );
        }
        checkAllowedChange(
          { id, status: waiver.status, requestedBy: waiver.requested_by },
          actor,
          'revoke',
        );
        await tx('waivers')
          .where({ id, status: waiver.status })
          .update({
            status: 'revoked',
            revoked_by: actor.ref,
            revoked_at: timestampValue(this.db, now),
          });
        const findingsReopened = await reopenFindingsOf(tx, id);
        // Another waiver may cover what this one did.
        const findingsWaived =
          findingsReopened > 0
            ? await applyActiveWaivers(tx, {
                entityRef: waiver.entity_ref,
                now,
              })
            : 0;
        return {
          changedFindings: findingsReopened,
          detail: {
            findingsReopened,
            findingsWaivedByOtherWaivers: findingsWaived,
          },
        };
      },
    });
  }

  /**
   * Expires the pending and active waivers whose time is up, of one entity
   * or of all: their findings open again with their original first seen
   * time, so they may be past their SLA at once. Returns how many expired.
   */
  async expireDue(options: { entityRef?: string } = {}): Promise<number> {
    const now = this.clock();
    const query = this.db<RawWaiverRow>('waivers')
      .whereIn('status', ['pending', 'active'])
      .where('expires_at', '<=', timestampValue(this.db, now))
      .orderBy('expires_at')
      .select('id');
    if (options.entityRef) query.where('entity_ref', options.entityRef);
    const due = await query;
    let expired = 0;
    for (const { id } of due) {
      if (await this.expire(id)) expired += 1;
    }
    return expired;
  }

  private async expire(id: string): Promise<boolean> {
    const actor: WaiverActor = { ref: SYSTEM_ACTOR };
    let expired = false;
    await this.change(id, actor, {
      eventId: 'waiver-expire',
      severityLevel: 'low',
      action: 'expired',
      apply: async (tx, waiver, now) => {
        if (
          (waiver.status !== 'pending' && waiver.status !== 'active') ||
          toDate(waiver.expires_at).getTime() > now.getTime()
        ) {
          // Another instance, or a read, expired it first.
          return undefined;
        }
        await tx('waivers')
          .where({ id, status: waiver.status })
          .update({ status: 'expired' });
        const findingsReopened = await reopenFindingsOf(tx, id);
        const findingsWaived =
          findingsReopened > 0
            ? await applyActiveWaivers(tx, {
                entityRef: waiver.entity_ref,
                now,
              })
            : 0;
        expired = true;
        return {
          changedFindings: findingsReopened,
          detail: {
            findingsReopened,
            findingsWaivedByOtherWaivers: findingsWaived,
          },
        };
      },
    });
    return expired;
  }

  /**
   * One waiver; waivers whose time is up are expired first.
   *
   * @throws NotFoundError when there is no such waiver
   */
  async getWaiver(
    id: string,
    options: { expire?: boolean } = {},
  ): Promise<Waiver> {
    let row = await this.db<RawWaiverRow>('waivers').where('id', id).first();
    if (!row) throw new NotFoundError(`No waiver ${id}`);
    if (
      options.expire !== false &&
      (await this.expireDue({ entityRef: row.entity_ref })) > 0
    ) {
      row = (await this.db<RawWaiverRow>('waivers').where('id', id).first())!;
    }
    const [waiver] = await this.toWaivers([row]);
    return waiver;
  }

  /** The waivers of an entity, newest first; those whose time is up are expired first. */
  async listWaivers(query: {
    entityRef: string;
    statuses?: WaiverStatus[];
  }): Promise<Waiver[]> {
    await this.expireDue({ entityRef: query.entityRef });
    const rows = this.db<RawWaiverRow>('waivers')
      .where('entity_ref', query.entityRef)
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ]);
    if (query.statuses?.length) rows.whereIn('status', query.statuses);
    return this.toWaivers(await rows);
  }

  /** The history of a waiver, oldest first. */
  async history(id: string): Promise<WaiverHistoryEntry[]> {
    await this.getWaiver(id);
    const rows = await this.db<RawWaiverEventRow>('waiver_events')
      .where('waiver_id', id)
      .orderBy('id', 'asc');
    return rows.map(row => ({
      waiverId: row.waiver_id,
      action: row.action,
      actor: row.actor,
      at: toDate(row.at).toISOString(),
      ...(row.detail ? { detail: JSON.parse(row.detail) } : {}),
    }));
  }

  /**
   * The entity's active waivers as a CycloneDX 1.6 VEX document: one
   * vulnerability per waiver and rule, affecting the packages of the
   * findings it waives.
   */
  async exportVex(entityRef: string): Promise<CycloneDxVexDocument> {
    await this.expireDue({ entityRef });
    const rows: VexFindingRow[] = await this.db('findings as f')
      .join('waivers as w', 'w.id', 'f.waiver_id')
      .where('f.entity_ref', entityRef)
      .where('f.status', 'waived')
      .where('w.status', 'active')
      .orderBy([
        { column: 'w.requested_at', order: 'asc' },
        { column: 'w.id', order: 'asc' },
        { column: 'f.rule_id', order: 'asc' },
        { column: 'f.id', order: 'asc' },
      ])
      .select(
        'f.rule_id',
        'f.severity',
        'f.title',
        'f.cvss_version',
        'f.cvss_score',
        'f.cvss_vector',
        'f.identifiers',
        'f.package_purl',
        'f.package_name',
        'f.package_version',
        { waiver_id: 'w.id' },
        'w.justification',
        'w.vex_justification',
        'w.requested_by',
        'w.requested_at',
        'w.approved_by',
        'w.approved_at',
        'w.expires_at',
      );
    return buildWaiverVex({
      entityRef,
      rows,
      now: this.clock(),
      serialNumber: `urn:uuid:${randomUUID()}`,
    });
  }

  /**
   * Runs one change of a waiver in a transaction with the entity's findings
   * locked, records it in the history and the auditor, and reports changed
   * findings. `apply` returns undefined to change nothing.
   */
  private async change(
    id: string,
    actor: WaiverActor,
    options: {
      eventId: string;
      severityLevel: AuditorServiceEventSeverityLevel;
      action: WaiverAction;
      apply: (
        tx: Knex.Transaction,
        waiver: RawWaiverRow,
        now: Date,
      ) => Promise<{ changedFindings: number; detail: JsonObject } | undefined>;
    },
  ): Promise<Waiver> {
    const { waiver, changedFindings } = await this.audited(
      options.eventId,
      options.severityLevel,
      actor,
      { waiverId: id },
      async () => {
        const existing = await this.db<RawWaiverRow>('waivers')
          .where('id', id)
          .first('entity_ref');
        if (!existing) throw new NotFoundError(`No waiver ${id}`);
        const now = this.clock();
        const result = await this.db.transaction(async tx => {
          await lockEntityFindings(tx, existing.entity_ref);
          const row = await tx<RawWaiverRow>('waivers').where('id', id).first();
          if (!row) throw new NotFoundError(`No waiver ${id}`);
          const applied = await options.apply(tx, row, now);
          if (applied) {
            await this.recordEvent(
              tx,
              id,
              options.action,
              actor.ref,
              now,
              applied.detail,
            );
          }
          return applied;
        });
        const changed = await this.getWaiver(id, { expire: false });
        return {
          value: {
            waiver: changed,
            changedFindings: result?.changedFindings ?? 0,
          },
          meta: result
            ? auditMeta(changed, result.detail)
            : { waiverId: id, unchanged: true },
        };
      },
    );
    if (changedFindings > 0) await this.findingsChanged(waiver.entityRef);
    return waiver;
  }

  /**
   * Throws NotAllowedError unless the actor may approve, reject or revoke
   * the waiver as it stands. Routes call it before anything changes; the
   * change checks again in its transaction, on the waiver as it is then.
   */
  checkAllowedChange(
    waiver: Pick<Waiver, 'id' | 'status' | 'requestedBy'>,
    actor: WaiverActor & { mayApprove: boolean },
    verb: 'approve' | 'reject' | 'revoke',
  ): void {
    checkAllowedChange(waiver, actor, verb);
  }

  private checkDecision(
    waiver: RawWaiverRow,
    actor: WaiverActor & { mayApprove: boolean },
    verb: 'approve' | 'reject',
  ) {
    if (waiver.status !== 'pending') {
      throw new ConflictError(
        `Waiver ${waiver.id} is ${waiver.status}; only a pending waiver can be ${verb}d`,
      );
    }
    checkAllowedChange(
      {
        id: waiver.id,
        status: waiver.status,
        requestedBy: waiver.requested_by,
      },
      actor,
      verb,
    );
  }

  private async recordEvent(
    tx: Knex.Transaction,
    waiverId: string,
    action: WaiverAction,
    actor: string,
    at: Date,
    detail: JsonObject,
  ) {
    const row: RawWaiverEventRow = {
      waiver_id: waiverId,
      action,
      actor,
      at: timestampValue(this.db, at),
      detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
    };
    await tx('waiver_events').insert(row);
  }

  /**
   * Runs a waiver operation as one auditor event: a success with the meta
   * the operation returns, or a failure with its error.
   */
  private async audited<T>(
    eventId: string,
    severityLevel: AuditorServiceEventSeverityLevel,
    actor: WaiverActor,
    meta: JsonObject,
    operation: () => Promise<{ value: T; meta: JsonObject }>,
  ): Promise<T> {
    const audit = await this.auditor?.createEvent({
      eventId,
      severityLevel,
      ...(actor.request ? { request: actor.request } : {}),
      meta: { ...meta, actor: actor.ref },
    });
    try {
      const outcome = await operation();
      await audit?.success({ meta: outcome.meta });
      return outcome.value;
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  }

  private async findingsChanged(entityRef: string) {
    if (!this.onFindingsChanged) return;
    try {
      await this.onFindingsChanged(entityRef);
    } catch (error) {
      this.logger?.warn(
        `Could not re-evaluate ${entityRef} after a waiver change: ${error}`,
      );
    }
  }

  private async toWaivers(rows: RawWaiverRow[]): Promise<Waiver[]> {
    const counts = new Map<string, number>();
    for (const batch of batches(
      rows.map(row => row.id),
      500,
    )) {
      const countRows: Array<{ waiver_id: string; count: string | number }> =
        await this.db('findings')
          .whereIn('waiver_id', batch)
          .where('status', 'waived')
          .groupBy('waiver_id')
          .select('waiver_id')
          .count({ count: '*' });
      for (const countRow of countRows) {
        counts.set(countRow.waiver_id, Number(countRow.count));
      }
    }
    return rows.map(row => toWaiver(row, counts.get(row.id) ?? 0));
  }
}

function requiredString(
  fields: Record<string, unknown>,
  name: string,
  maxLength = 1000,
): string {
  const value = fields[name];
  if (value === undefined || value === null) {
    throw new InputError(`${name} is required`);
  }
  if (typeof value !== 'string') {
    throw new InputError(`${name} must be a string`);
  }
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    throw new InputError(`${name} must not be empty`);
  }
  if (trimmed.length > maxLength) {
    throw new InputError(
      `${name} must be at most ${maxLength} characters; got ${trimmed.length}`,
    );
  }
  return trimmed;
}

function optionalTime(
  value: Date | string | number | null,
): string | undefined {
  return value === null ? undefined : toDate(value).toISOString();
}

function scopeOf(row: RawWaiverRow): WaiverScope {
  if (row.finding_id !== null) return { findingId: row.finding_id };
  if (row.rule_id !== null) return { ruleId: row.rule_id };
  return { purl: row.purl ?? '' };
}

function toWaiver(row: RawWaiverRow, findingCount: number): Waiver {
  const optional = (key: string, value: string | null | undefined) =>
    value === null || value === undefined ? {} : { [key]: value };
  return {
    id: row.id,
    entityRef: row.entity_ref,
    scope: scopeOf(row),
    justification: row.justification,
    ...optional('vexJustification', row.vex_justification),
    status: row.status as WaiverStatus,
    requestedBy: row.requested_by,
    requestedAt: toDate(row.requested_at).toISOString(),
    ...optional('approvedBy', row.approved_by),
    ...optional('approvedAt', optionalTime(row.approved_at)),
    ...optional('rejectedBy', row.rejected_by),
    ...optional('rejectedAt', optionalTime(row.rejected_at)),
    expiresAt: toDate(row.expires_at).toISOString(),
    ...optional('revokedBy', row.revoked_by),
    ...optional('revokedAt', optionalTime(row.revoked_at)),
    findingCount,
  };
}

function auditMeta(waiver: Waiver, detail: JsonObject): JsonObject {
  return {
    waiverId: waiver.id,
    entityRef: waiver.entityRef,
    scope: waiver.scope as JsonObject,
    status: waiver.status,
    requestedBy: waiver.requestedBy,
    expiresAt: waiver.expiresAt,
    ...detail,
  };
}

/**
 * Who may change a waiver: someone other than the requester with
 * `security-scorecards.waiver.approve` approves or rejects it; an approver,
 * or the requester while it is pending, revokes it. The messages name the
 * permission, never the entity.
 */
function checkAllowedChange(
  waiver: Pick<Waiver, 'id' | 'status' | 'requestedBy'>,
  actor: WaiverActor & { mayApprove: boolean },
  verb: 'approve' | 'reject' | 'revoke',
): void {
  const isRequester = waiver.requestedBy === actor.ref;
  if (verb === 'revoke') {
    if (actor.mayApprove || (isRequester && waiver.status === 'pending')) {
      return;
    }
    throw new NotAllowedError(
      isRequester
        ? `Waiver ${waiver.id} is ${waiver.status}: revoking it needs security-scorecards.waiver.approve`
        : `Revoking waiver ${waiver.id} needs security-scorecards.waiver.approve, or to be its requester while it is pending`,
    );
  }
  if (isRequester) {
    throw new NotAllowedError(
      `The requester of waiver ${waiver.id} cannot ${verb} it: someone else with security-scorecards.waiver.approve must`,
    );
  }
  if (!actor.mayApprove) {
    throw new NotAllowedError(
      'Not allowed: security-scorecards.waiver.approve',
    );
  }
}
