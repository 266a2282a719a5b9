import type pg from 'pg';
import { CODES, ReplicationError } from './errors.js';

/**
 * A run that dies mid-apply (SIGKILL, a lost network) can leave its target sessions working: a
 * COMMIT it sent completes after the process is gone, because the server notices a lost client
 * only at its next read or write. A new run that read the durable position before that COMMIT
 * landed would apply the same transactions a second time. So every apply session of a slot holds
 * a shared advisory lock on the target for as long as it lives, and a run takes that lock
 * exclusively before it reads the position: once it has it, no session of an earlier run is left.
 *
 * An earlier session that is idle (in a transaction or not) has nothing in flight: whatever it
 * holds uncommitted would be rolled back and streamed again anyway, so it is ended at once. One
 * that is running a statement (a COMMIT among them) is waited for.
 */

/** The advisory lock's first key: "pgsh"; the second is the slot name's hash. */
const FENCE_CLASS = 0x70677368;
const KEY_ARGS = `${FENCE_CLASS}, hashtext($1)`;

/** Joins the fence: the session's whole life holds the shared lock. */
export async function joinApplyFence(client: pg.Client, slotName: string): Promise<void> {
  await client.query(`SELECT pg_advisory_lock_shared(${KEY_ARGS})`, [slotName]);
}

interface Holder {
  pid: number;
  state: string | null;
  application: string;
}

/**
 * Waits until no session of an earlier run of this slot is left on the target (ending the idle
 * ones), then joins the fence with `client`. Fails after `timeoutMs` naming the sessions still busy.
 */
export async function fenceEarlierRuns(
  client: pg.Client,
  slotName: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ got: boolean }>(`SELECT pg_try_advisory_lock(${KEY_ARGS}) AS got`, [
      slotName,
    ]);
    if (rows[0]?.got) break;
    const holders = await earlierSessions(client, slotName);
    const idle = holders.filter((h) => h.state !== 'active');
    for (const holder of idle)
      await client.query('SELECT pg_terminate_backend($1)', [holder.pid]).catch(() => {});
    if (Date.now() > deadline) {
      const busy = holders.filter((h) => h.state === 'active');
      throw new ReplicationError(
        CODES.slotBusy,
        `target sessions of an earlier run of slot ${slotName} are still working: ${busy
          .map((h) => `process ${h.pid} (${h.application})`)
          .join(', ')}`,
        {
          remedy: `stop the other pgshift applying this task, or end those sessions on the target with ${busy
            .map((h) => `SELECT pg_terminate_backend(${h.pid})`)
            .join('; ')}`,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Shared for the rest of this session's life, so the next run waits for it in turn.
  await joinApplyFence(client, slotName);
  await client.query(`SELECT pg_advisory_unlock(${KEY_ARGS})`, [slotName]);
}

async function earlierSessions(client: pg.Client, slotName: string): Promise<Holder[]> {
  const { rows } = await client.query<Holder>(
    `SELECT a.pid, a.state, coalesce(a.application_name, '') AS application
       FROM pg_catalog.pg_locks l
       JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()
        AND l.classid = ${FENCE_CLASS}::oid AND l.objid = hashtext($1)::oid AND l.objsubid = 2`,
    [slotName],
  );
  return rows;
}
