import type pg from 'pg';
import { boundLiteral, keyColumnInfo, keyExpression } from '../copy/key-ranges.js';
import type { TableInfo } from '../copy/types.js';
import { quoteIdent } from '../quote.js';
import { commitsInFlight } from './commits-in-flight.js';
import { type KeyedRow, keyText, readKeyedRows, writtenColumns } from './key-rows.js';
import { recordRepair } from './repair-log.js';
import { rowHashExpression } from './row-text.js';

/** What a repair did: the row written, or why nothing was written. */
export type RepairOutcome =
  | 'inserted'
  | 'updated'
  | 'deleted'
  /** Meanwhile the target got the source's row by itself (sync applied a change to it). */
  | 'already-same'
  /** The source row changed since it was confirmed (or a commit waited for a synchronous standby): nothing written. */
  | 'source-changed'
  /** The row or the apply position stayed locked by the follower: nothing written. */
  | 'busy'
  /** The target refused the write (a constraint, say): nothing written; the report says why. */
  | 'failed';

const ATTEMPTS = 20;
/** Far below deadlock_timeout (1 s by default): a wait on the follower gives up before it could be chosen as a deadlock victim. */
const LOCK_TIMEOUT = '100ms';

/**
 * Repairs one confirmed row on the target, in one target transaction that never waits for the
 * follower: it first locks the task's apply position row (NOWAIT), so a single-session follower
 * commits nothing until it ends; it locks the row (NOWAIT), reads the source row again and goes on
 * only if it is still the confirmed version (`confirmed`; undefined when the source has no such
 * row), then updates the target's row in place (or inserts or deletes it), and records the repair
 * in the same transaction. The confirmed version was read before the position reached was
 * committed, and it is still the source's row after the lock: so the stream holds no later change
 * of this row yet, and what the follower applies later builds on it. That holds too under parallel
 * apply, whose sessions commit without that row: a session holding a change to this row holds its
 * lock, and the NOWAIT gives way to it.
 */
export async function repairRow(
  target: pg.Client,
  source: pg.Client,
  table: TableInfo,
  key: readonly string[],
  confirmed: string | undefined,
  slotName: string,
  sourceVersionNum: number,
): Promise<RepairOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await repairOnce(target, source, table, key, confirmed, slotName, sourceVersionNum);
    } catch (error) {
      await target.query('ROLLBACK').catch(() => {});
      const code = (error as { code?: string }).code;
      // 55P03: a lock not available (NOWAIT, lock_timeout); 40P01: chosen as a deadlock victim.
      if (code !== '55P03' && code !== '40P01') throw error;
      if (attempt >= ATTEMPTS) return 'busy';
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

async function repairOnce(
  target: pg.Client,
  source: pg.Client,
  table: TableInfo,
  key: readonly string[],
  confirmed: string | undefined,
  slotName: string,
  sourceVersionNum: number,
): Promise<RepairOutcome> {
  const keyColumns = keyColumnInfo(table);
  const where = `${keyExpression(keyColumns, false)} = ${boundLiteral(keyColumns, [...key], false)}`;
  await target.query('BEGIN');
  await target.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
  const position = await target.query<{ lsn: string }>(
    'SELECT end_lsn::text AS lsn FROM pgshift.apply_progress WHERE slot_name = $1 FOR UPDATE NOWAIT',
    [slotName],
  );
  const appliedLsn = position.rows[0]?.lsn;
  if (!appliedLsn) throw new Error(`the target has no apply position for slot ${slotName}`);
  const held = await target.query<{ h: string }>(
    `SELECT ${rowHashExpression(table.columns)} AS h FROM ONLY ${table.key} WHERE ${where} FOR UPDATE NOWAIT`,
  );
  const targetHash = held.rows[0]?.h;
  const now: KeyedRow | undefined = (await readKeyedRows(source, table, [key])).get(keyText(key));
  if (now?.version !== confirmed || (await commitsInFlight(source, sourceVersionNum))) {
    await target.query('ROLLBACK');
    return 'source-changed';
  }
  if (now?.hash === targetHash) {
    await target.query('ROLLBACK');
    return 'already-same';
  }
  const action: RepairOutcome = !now ? 'deleted' : targetHash === undefined ? 'inserted' : 'updated';
  await target.query(writeSql(table, action, where), action === 'deleted' ? [] : now?.values);
  await recordRepair(target, {
    slotName,
    table: table.key,
    key: keyText(key),
    action,
    appliedLsn,
    ...(now ? { sourceVersion: now.version } : {}),
  });
  await target.query('COMMIT');
  return action;
}

/**
 * The statement that makes the target's row the source's: a different row is updated in place
 * (never deleted and inserted: where the repair cannot run in replica role, a delete would cascade
 * to the rows referencing it); $n are the written columns' texts, in order.
 */
function writeSql(table: TableInfo, action: 'inserted' | 'updated' | 'deleted', where: string): string {
  if (action === 'deleted') return `DELETE FROM ONLY ${table.key} WHERE ${where}`;
  const columns = writtenColumns(table);
  const value = (i: number) => `$${i + 1}::${columns[i]?.type}`;
  if (action === 'updated') {
    // The key columns are equal on both sides (the row was found by them); each is set anyway,
    // to itself, so every parameter is used.
    const set = columns.map((c, i) => `${quoteIdent(c.name)} = ${value(i)}`).join(', ');
    return `UPDATE ONLY ${table.key} SET ${set} WHERE ${where}`;
  }
  const overriding = columns.some((c) => c.identity !== '') ? ' OVERRIDING SYSTEM VALUE' : '';
  return `INSERT INTO ${table.key} (${columns.map((c) => quoteIdent(c.name)).join(', ')})${overriding}
          VALUES (${columns.map((_, i) => value(i)).join(', ')})`;
}
