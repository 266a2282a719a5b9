import { PgshiftError } from '@pgshift/plugin-api';
import type pg from 'pg';
import { compareLsn } from '../lsn.js';
import { qualified, quoteIdent } from '../quote.js';
import { hasFeature, walInsertLsnSql } from '../server-features.js';
import { inTransaction } from '../transaction.js';

export const LIVE_VERIFY_ERROR = 'PGSHIFT_LIVE_VERIFY';

/**
 * A row on the source that live verify writes to learn when the target has applied everything
 * committed so far: the follower applies the transaction (passing over the row, a table of
 * pgshift's) and moves its position past it even when nothing else happens on the source.
 */
const MARKER = qualified('pgshift', 'verify_marker');

/**
 * Makes the marker table, and where the task publishes a list of tables (pgoutput, a selection of
 * tables), adds it to that publication so its changes travel in the stream.
 */
export async function prepareMarker(source: pg.Client, slotName: string, versionNum: number): Promise<void> {
  await source.query(
    `CREATE SCHEMA IF NOT EXISTS pgshift;
     CREATE TABLE IF NOT EXISTS ${MARKER} (slot_name text PRIMARY KEY, at timestamptz NOT NULL)`,
  );
  if (!hasFeature(versionNum, 'temporarySlots')) return; // before 10: no publications
  const { rows } = await source.query<{ listed: boolean }>(
    `SELECT NOT p.puballtables AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication_tables t
              WHERE t.pubname = p.pubname AND t.schemaname = 'pgshift' AND t.tablename = 'verify_marker') AS listed
       FROM pg_catalog.pg_publication p WHERE p.pubname = $1`,
    [slotName],
  );
  if (rows[0]?.listed) await source.query(`ALTER PUBLICATION ${quoteIdent(slotName)} ADD TABLE ${MARKER}`);
}

/** Takes the marker table away again when no other live verify uses it. */
export async function removeMarker(source: pg.Client, slotName: string): Promise<void> {
  await source.query(`DELETE FROM ${MARKER} WHERE slot_name = $1`, [slotName]).catch(() => {});
  const { rows } = await source
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${MARKER}`)
    .catch(() => ({ rows: [{ n: 1 }] }));
  if (rows[0]?.n === 0) await source.query(`DROP TABLE IF EXISTS ${MARKER}`).catch(() => {});
}

/**
 * Commits a marker write on the source and returns a position every transaction committed before
 * this call lies before; once the target's apply position reaches it, the target holds them all.
 */
export async function markSource(source: pg.Client, slotName: string, versionNum: number): Promise<string> {
  return inTransaction(source, async () => {
    await source.query(`DELETE FROM ${MARKER} WHERE slot_name = $1`, [slotName]);
    await source.query(`INSERT INTO ${MARKER} VALUES ($1, now())`, [slotName]);
    const { rows } = await source.query<{ lsn: string }>(
      `SELECT ${walInsertLsnSql(versionNum)}::text AS lsn`,
    );
    return rows[0]?.lsn ?? '0/0';
  });
}

/** The task's durable apply position on the target (pgshift.apply_progress), if it has one. */
export async function appliedPosition(target: pg.Client, slotName: string): Promise<string | undefined> {
  const { rows } = await target
    .query<{ lsn: string }>('SELECT end_lsn::text AS lsn FROM pgshift.apply_progress WHERE slot_name = $1', [
      slotName,
    ])
    .catch((error: { code?: string }) => {
      if (error.code === '42P01' || error.code === '3F000') return { rows: [] };
      throw error;
    });
  return rows[0]?.lsn;
}

/** Waits until the target's apply position reaches `lsn`; returns the position seen. */
export async function waitApplied(
  target: pg.Client,
  slotName: string,
  lsn: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw new PgshiftError('PGSHIFT_ABORTED', 'live verify was interrupted');
    const position = await appliedPosition(target, slotName);
    if (position === undefined)
      throw new PgshiftError(LIVE_VERIFY_ERROR, `the target has no apply position for slot ${slotName}`, {
        remedy:
          'live verify compares a task that is following: start it with pgshift run (mode full+incremental)',
      });
    if (compareLsn(position, lsn) >= 0) return position;
    if (Date.now() > deadline)
      throw new PgshiftError(
        LIVE_VERIFY_ERROR,
        `the target's apply position stayed at ${position}, before ${lsn} on the source, for ${Math.round(options.timeoutMs / 1000)} s`,
        {
          remedy:
            'live verify needs pgshift run following this task (see pgshift status); if it is only behind, give it longer with --wait-seconds',
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
