import { lsnToBigInt } from '@pgshift/pg';
import type { ReplicationContext, SqlSession } from '@pgshift/plugin-api';

/**
 * Source transactions committed on the target beyond the durable position. With several apply
 * sessions (parallel-apply.ts), a session commits transactions whose predecessors another session
 * has not committed yet, so the position (the end of the gapless prefix, progress-store.ts) cannot
 * cover them. Each such group records the commit LSNs of its source transactions in this table
 * in the same target transaction that applies them; a restart streams from the position and skips
 * exactly these, so nothing is applied twice or lost. Rows are deleted once the position passes
 * them (in the transaction that moves it).
 *
 * One row per group, not per transaction: a group commits thousands of transactions, and one
 * array costs the target one row where thousands would cost as many index entries.
 */
export const BEYOND_TABLE = 'pgshift.apply_beyond';

export const CREATE_BEYOND_TABLE = `
CREATE SCHEMA IF NOT EXISTS pgshift;
CREATE TABLE IF NOT EXISTS pgshift.apply_beyond (
  slot_name       text NOT NULL,
  last_commit_lsn pg_lsn NOT NULL,
  commit_lsns     pg_lsn[] NOT NULL,
  PRIMARY KEY (slot_name, last_commit_lsn)
)`;

/** $1 slot, $2 the last commit LSN of the group, $3 every commit LSN of the group (pg_lsn[] text). */
export const RECORD_BEYOND = `
INSERT INTO pgshift.apply_beyond (slot_name, last_commit_lsn, commit_lsns) VALUES ($1, $2::pg_lsn, $3::pg_lsn[])`;

/** $1 slot, $2 the durable position's commit LSN: rows wholly before it are covered by it. */
export const PRUNE_BEYOND = `
DELETE FROM pgshift.apply_beyond WHERE slot_name = $1 AND last_commit_lsn <= $2::pg_lsn`;

/** A pg_lsn[] literal's text for RECORD_BEYOND. */
export function lsnArray(lsns: readonly string[]): string {
  return `{${lsns.join(',')}}`;
}

const missingTable = (error: { code?: string }) => error.code === '42P01' || error.code === '3F000';

/**
 * The commit LSNs recorded beyond `position` (an end LSN: transactions committing before it are
 * covered by it). No table (never run with several sessions) means none.
 */
export async function readAppliedBeyond(ctx: ReplicationContext, position: bigint): Promise<Set<bigint>> {
  const { rows } = await ctx.target
    .query<{ lsn: string }>(
      'SELECT unnest(commit_lsns)::text AS lsn FROM pgshift.apply_beyond WHERE slot_name = $1',
      [ctx.slotName],
      { database: ctx.database.name },
    )
    .catch((error: { code?: string }) => {
      if (missingTable(error)) return { rows: [] };
      throw error;
    });
  const out = new Set<bigint>();
  for (const row of rows) {
    const lsn = lsnToBigInt(row.lsn);
    if (lsn >= position) out.add(lsn);
  }
  return out;
}

/** Forgets a slot's records; drops the table when no slot has any left. */
export async function clearAppliedBeyond(session: SqlSession, slotName: string): Promise<void> {
  const { rows } = await session.query<{ exists: boolean }>(
    "SELECT to_regclass('pgshift.apply_beyond') IS NOT NULL AS exists",
  );
  if (!rows[0]?.exists) return;
  await session.query('DELETE FROM pgshift.apply_beyond WHERE slot_name = $1', [slotName]);
  const left = await session.query<{ n: number }>('SELECT count(*)::int AS n FROM pgshift.apply_beyond');
  if (left.rows[0]?.n === 0) await session.query('DROP TABLE pgshift.apply_beyond');
}
