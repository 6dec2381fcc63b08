import {
  purlWithoutVersion,
  versionOfPurl,
} from '@secdevops/plugin-security-scorecards-common';
import { Knex } from 'knex';
import { isPostgres, timestampValue, whereInValues } from '../database/sql';

/** A row of the `waivers` table. */
export type RawWaiverRow = {
  id: string;
  entity_ref: string;
  finding_id: string | null;
  rule_id: string | null;
  purl: string | null;
  justification: string;
  vex_justification: string | null;
  status: string;
  requested_by: string;
  requested_at: Date | string | number;
  approved_by: string | null;
  approved_at: Date | string | number | null;
  rejected_by: string | null;
  rejected_at: Date | string | number | null;
  expires_at: Date | string | number;
  revoked_by: string | null;
  revoked_at: Date | string | number | null;
};

/**
 * Serialises the changes of one entity's waived findings across backend
 * instances (PostgreSQL; SQLite has a single writer already).
 *
 * Lock order, so that no two transactions wait on each other: first the scan
 * locks of the entity's sources, in name order (the lock `storeScan` holds
 * while it writes a scan of one source), then the entity's waiver lock.
 * `storeScan` takes its one scan lock and then, in
 * {@link applyActiveWaivers}, the waiver lock; a waiver change takes them all.
 */
export async function lockEntityFindings(
  tx: Knex.Transaction,
  entityRef: string,
): Promise<void> {
  if (!isPostgres(tx)) return;
  const sources: Array<{ source: string }> = await tx('findings')
    .where('entity_ref', entityRef)
    .distinct('source')
    .orderBy('source');
  for (const { source } of sources) {
    // The same key as DatabaseScorecardStore.storeScan's lock.
    await tx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `security-scorecards|${entityRef}|${source}`,
    ]);
  }
  await lockEntityWaivers(tx, entityRef);
}

async function lockEntityWaivers(tx: Knex.Transaction, entityRef: string) {
  if (!isPostgres(tx)) return;
  await tx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
    `security-scorecards-waivers|${entityRef}`,
  ]);
}

/**
 * Waives the open findings of an entity that its active, unexpired waivers
 * cover: all of them, or those of one scan source. `storeScan` calls it after
 * writing a scan, so that a waived finding a new scan reports as open again
 * stays waived. Returns the number of findings waived.
 */
export async function applyActiveWaivers(
  tx: Knex.Transaction,
  options: { entityRef: string; source?: string; now: Date },
): Promise<number> {
  await lockEntityWaivers(tx, options.entityRef);
  const waivers = await tx<RawWaiverRow>('waivers')
    .where({ entity_ref: options.entityRef, status: 'active' })
    .where('expires_at', '>', timestampValue(tx, options.now))
    .orderBy([
      { column: 'requested_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
  let waived = 0;
  for (const waiver of waivers) {
    waived += await waiveMatchingFindings(tx, waiver, options.source);
  }
  return waived;
}

/**
 * Marks the open findings a waiver covers as waived by it (the first seen
 * time stays, so the SLA clock resumes where it was). Returns how many.
 */
export async function waiveMatchingFindings(
  tx: Knex.Transaction,
  waiver: RawWaiverRow,
  source?: string,
): Promise<number> {
  const openFindings = () => {
    const query = tx('findings').where({
      entity_ref: waiver.entity_ref,
      status: 'open',
    });
    if (source !== undefined) query.where('source', source);
    return query;
  };
  const waive = { status: 'waived', waiver_id: waiver.id };
  if (waiver.finding_id !== null) {
    return openFindings().where('id', waiver.finding_id).update(waive);
  }
  if (waiver.rule_id !== null) {
    return openFindings().where('rule_id', waiver.rule_id).update(waive);
  }
  if (waiver.purl === null) return 0;
  if (versionOfPurl(waiver.purl) !== undefined) {
    return openFindings().where('package_purl', waiver.purl).update(waive);
  }
  // Any version: the purl itself, or it followed by a version, qualifiers or
  // a subpath; the exact comparison is made here, not in SQL.
  const prefix = escapeLike(waiver.purl);
  const candidates: Array<{ id: string; package_purl: string }> =
    await openFindings()
      .where(inner =>
        inner
          .where('package_purl', waiver.purl)
          .orWhereRaw(`package_purl LIKE ? ESCAPE '\\'`, [`${prefix}@%`])
          .orWhereRaw(`package_purl LIKE ? ESCAPE '\\'`, [`${prefix}?%`])
          .orWhereRaw(`package_purl LIKE ? ESCAPE '\\'`, [`${prefix}#%`]),
      )
      .select('id', 'package_purl');
  const ids = candidates
    .filter(row => purlWithoutVersion(row.package_purl) === waiver.purl)
    .map(row => row.id);
  if (ids.length === 0) return 0;
  return whereInValues(tx, tx('findings'), 'id', ids, 'uuid')
    .where('status', 'open')
    .update(waive);
}

/**
 * Opens again the findings a waiver waived, with their original first seen
 * time: the SLA clock does not restart. Returns how many.
 */
export async function reopenFindingsOf(
  tx: Knex.Transaction,
  waiverId: string,
): Promise<number> {
  const reopened = await tx('findings')
    .where({ waiver_id: waiverId, status: 'waived' })
    .update({ status: 'open', waiver_id: null });
  // Findings fixed since they were waived no longer belong to the waiver.
  await tx('findings').where('waiver_id', waiverId).update({ waiver_id: null });
  return reopened;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, character => `\\${character}`);
}
