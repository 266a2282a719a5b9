import { slotStateSql } from '@pgshift/pg';
import type pg from 'pg';
import { CODES, ReplicationError } from './errors.js';

/**
 * A walsender of a process that died (SIGKILL, lost network) holds the slot until the server
 * notices; starting meanwhile fails with "slot is active", so wait for it to let go.
 */
export async function waitForSlotInactive(
  client: pg.Client,
  versionNum: number,
  slotName: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ active: boolean; pid: number | null }>(slotStateSql(versionNum), [
      slotName,
    ]);
    const slot = rows[0];
    if (!slot)
      throw new ReplicationError(CODES.stream, `replication slot ${slotName} does not exist on the source`, {
        remedy: 'the slot was dropped; start the migration again (a new full copy is needed)',
      });
    if (!slot.active) return;
    if (Date.now() > deadline)
      throw new ReplicationError(
        CODES.slotBusy,
        `replication slot ${slotName} is in use by process ${slot.pid ?? '(unknown on this version)'}`,
        {
          remedy:
            slot.pid === null
              ? 'stop the other pgshift streaming from it, or end its walsender (listed in pg_stat_replication) with pg_terminate_backend on the source'
              : `stop the other pgshift streaming from it, or SELECT pg_terminate_backend(${slot.pid}) on the source`,
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
