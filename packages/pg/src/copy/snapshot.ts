import type pg from 'pg';
import { quoteLiteral } from '../quote.js';
import { isLostSnapshotError } from './errors.js';

/** A snapshot exported by a session of ours that stays open (idle in transaction) until released. */
export interface ExportedSnapshot {
  name: string;
  release(): Promise<void>;
}

/**
 * Exports a snapshot from a fresh REPEATABLE READ transaction. The session must stay idle and open
 * while others import it, so nothing else may run on it; release() ends it. Not inTransaction:
 * the transaction outlives this function (it is the snapshot), and it is always rolled back.
 */
export async function exportSnapshot(open: () => Promise<pg.Client>): Promise<ExportedSnapshot> {
  const client = await open();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ name: string }>('SELECT pg_export_snapshot() AS name');
    const name = rows[0]?.name;
    if (!name) throw new Error('pg_export_snapshot() returned nothing');
    return {
      name,
      async release() {
        await client.query('ROLLBACK').catch(() => {});
        await client.end().catch(() => {});
      },
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/**
 * Starts a REPEATABLE READ transaction that reads as of `snapshot` (the transaction's first
 * statement). Not inTransaction: the transaction stays open for the caller's reads after this
 * returns, and SET TRANSACTION SNAPSHOT must come before any other statement in it.
 */
export async function importSnapshot(client: pg.Client, snapshot: string): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Whether a snapshot can still be imported, i.e. the session that exported it is still open. */
export async function snapshotAlive(open: () => Promise<pg.Client>, snapshot: string): Promise<boolean> {
  const client = await open();
  try {
    await importSnapshot(client, snapshot);
    await client.query('ROLLBACK');
    return true;
  } catch (error) {
    if (isLostSnapshotError(error)) return false;
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
