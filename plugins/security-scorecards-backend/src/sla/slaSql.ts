import { Knex } from 'knex';
import { isPostgres, timestampValue } from '../database/sql';
import { SlaPolicy } from './SlaPolicy';

/**
 * SQL for the first-seen time before which an open finding is past one of
 * its SLA bounds at `now`: a CASE over known exploitation and severity that
 * is NULL for severities without an SLA (so every comparison with it is
 * false). Findings queries compare `first_seen_at` with it to count or
 * filter findings by SLA state.
 */
export function slaCutoffSql(
  db: Knex,
  sla: SlaPolicy,
  now: Date,
  bound: 'breachedBefore' | 'dueSoonBefore',
  table?: string,
): { sql: string; bindings: Knex.Value[] } {
  const column = (name: string) => (table ? `${table}.${name}` : name);
  // PostgreSQL cannot infer the type of a parameter in a CASE result.
  const time = isPostgres(db) ? 'CAST(? AS timestamptz)' : '?';
  const cutoffs = sla.cutoffs(now);
  const cases: string[] = [];
  const bindings: Knex.Value[] = [];
  const critical = cutoffs.find(cutoff => cutoff.severity === 'critical');
  if (sla.knownExploitedAsCritical && critical) {
    cases.push(`WHEN ${column('known_exploited')} = ? THEN ${time}`);
    bindings.push(true, timestampValue(db, critical[bound]));
  }
  for (const cutoff of cutoffs) {
    cases.push(`WHEN ${column('severity')} = ? THEN ${time}`);
    bindings.push(cutoff.severity, timestampValue(db, cutoff[bound]));
  }
  return {
    sql: cases.length ? `(CASE ${cases.join(' ')} ELSE NULL END)` : 'NULL',
    bindings,
  };
}
