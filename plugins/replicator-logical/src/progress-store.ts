import type { ReplicationContext } from '@pgshift/plugin-api';
import { clearAppliedBeyond } from './applied-beyond.js';

/**
 * The durable apply position lives on the target, in the same transaction as the changes it
 * covers: pgshift.apply_progress, one row per slot. `end_lsn` is the position decoding resumes
 * from (end of the last applied commit record, or the slot's consistent point); `commit_lsn` is
 * the start of that commit record when the format reports it. `copied_snapshot` is set where the
 * copy read a snapshot of its own instead of the slot's (sources before 10, see slot.ts): the
 * transactions it sees are in the copy already and are skipped when the stream brings them.
 */
export const PROGRESS_TABLE = 'pgshift.apply_progress';

export const CREATE_PROGRESS_TABLE = `
CREATE SCHEMA IF NOT EXISTS pgshift;
CREATE TABLE IF NOT EXISTS pgshift.apply_progress (
  slot_name  text PRIMARY KEY,
  commit_lsn pg_lsn,
  end_lsn    pg_lsn NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  copied_snapshot text
)`;

/** Upsert of one slot's position; $1 slot, $2 commit_lsn (nullable), $3 end_lsn. */
export const WRITE_PROGRESS = `
INSERT INTO pgshift.apply_progress AS p (slot_name, commit_lsn, end_lsn, updated_at)
VALUES ($1, $2::pg_lsn, $3::pg_lsn, now())
ON CONFLICT (slot_name) DO UPDATE
   SET commit_lsn = EXCLUDED.commit_lsn, end_lsn = EXCLUDED.end_lsn, updated_at = EXCLUDED.updated_at`;

export interface StoredPosition {
  commitLsn: string | undefined;
  endLsn: string;
  /** txid_current_snapshot() text of the snapshot the copy read, when it was not the slot's. */
  copiedSnapshot: string | undefined;
}

export async function readPosition(ctx: ReplicationContext): Promise<StoredPosition | undefined> {
  const { rows } = await ctx.target
    .query<{ commit_lsn: string | null; end_lsn: string; copied_snapshot: string | null }>(
      `SELECT commit_lsn::text, end_lsn::text, copied_snapshot FROM pgshift.apply_progress
      WHERE slot_name = $1`,
      [ctx.slotName],
      { database: ctx.database.name },
    )
    .catch((error: { code?: string }) => {
      // 42P01/3F000: no progress table yet, so no position
      if (error.code === '42P01' || error.code === '3F000') return { rows: [] };
      throw error;
    });
  const row = rows[0];
  return row
    ? {
        commitLsn: row.commit_lsn ?? undefined,
        endLsn: row.end_lsn,
        copiedSnapshot: row.copied_snapshot ?? undefined,
      }
    : undefined;
}

/**
 * Records, before the copy starts, the slot's consistent point as the position and the snapshot
 * the copy reads, so that every run of the follower, a resumed one too, skips what it holds.
 */
export async function recordCopiedSnapshot(
  ctx: ReplicationContext,
  consistentPoint: string,
  snapshot: string,
): Promise<void> {
  const session = await ctx.target.connect({ database: ctx.database.name });
  try {
    await session.query('SET synchronous_commit = on');
    await session.query(CREATE_PROGRESS_TABLE);
    await session.query(
      `INSERT INTO pgshift.apply_progress AS p (slot_name, commit_lsn, end_lsn, copied_snapshot)
       VALUES ($1, NULL, $2::pg_lsn, $3)
       ON CONFLICT (slot_name) DO UPDATE
          SET commit_lsn = NULL, end_lsn = EXCLUDED.end_lsn, copied_snapshot = EXCLUDED.copied_snapshot,
              updated_at = now()`,
      [ctx.slotName, consistentPoint, snapshot],
    );
  } finally {
    await session.close();
  }
}

export async function initPosition(ctx: ReplicationContext, lsn: string): Promise<void> {
  const session = await ctx.target.connect({ database: ctx.database.name });
  try {
    await session.query('SET synchronous_commit = on');
    await session.query(CREATE_PROGRESS_TABLE);
    await session.query(WRITE_PROGRESS, [ctx.slotName, null, lsn]);
  } finally {
    await session.close();
  }
}

/** Forgets this slot's position; drops the table and schema when nothing else is left in them. */
export async function clearPosition(ctx: ReplicationContext): Promise<void> {
  const session = await ctx.target.connect({ database: ctx.database.name });
  try {
    await clearAppliedBeyond(session, ctx.slotName);
    const { rows } = await session.query<{ exists: boolean }>(
      "SELECT to_regclass('pgshift.apply_progress') IS NOT NULL AS exists",
    );
    if (!rows[0]?.exists) return;
    await session.query('DELETE FROM pgshift.apply_progress WHERE slot_name = $1', [ctx.slotName]);
    const left = await session.query<{ n: number }>('SELECT count(*)::int AS n FROM pgshift.apply_progress');
    if (left.rows[0]?.n === 0) {
      await session.query('DROP TABLE pgshift.apply_progress');
      await session.query('DROP SCHEMA pgshift').catch(() => {
        // other pgshift objects still live there; leave the schema
      });
    }
  } finally {
    await session.close();
  }
}
