import type pg from 'pg';
import { hasFeature } from '../server-features.js';
import { createSlotCommand } from '../slot-command.js';

/**
 * Names of the slots live verify makes for a pass. Not `pgshift_`: that prefix is the tasks' own
 * slots, which the schema-change capture's cleanup counts as followers of the database.
 */
export const PASS_SLOT_PREFIX = 'pgshiftverify_';

/** A logical slot made for one pass of live verify: its consistent point and the snapshot it exported. */
export interface PassSlot {
  name: string;
  /** The LSN the snapshot corresponds to: it sees exactly the transactions committed before it. */
  consistentPoint: string;
  snapshot: string;
  /** Ends the slot: once every session of the pass imported the snapshot, the slot is not needed. */
  release(): Promise<void>;
}

/**
 * Makes a slot whose exported snapshot the pass reads the source in. On 10 and later it is
 * TEMPORARY, so the server drops it when its connection ends, whatever happens to this process.
 * 9.4 to 9.6 have no temporary slots: the slot is permanent and `release` drops it (and the next
 * pass drops one a killed process left behind). The walsender connection stays idle until
 * `release`: any other command on it would end the snapshot.
 */
export async function openPassSlot(
  openReplication: () => Promise<pg.Client>,
  source: pg.Client,
  versionNum: number,
  outputPlugin: string,
): Promise<PassSlot> {
  const temporary = hasFeature(versionNum, 'temporarySlots');
  if (!temporary) await dropLeftoverPassSlots(source);
  const name = `${PASS_SLOT_PREFIX}${process.pid}_${Date.now().toString(36)}`;
  const syntax = hasFeature(versionNum, 'slotOptionList')
    ? 'option-list'
    : hasFeature(versionNum, 'slotSnapshotKeyword')
      ? 'keyword'
      : 'implicit';
  const walsender = await openReplication();
  let created = false;
  const release = async () => {
    await walsender.end().catch(() => {});
    if (created && !temporary) await dropPassSlot(source, name);
  };
  try {
    // No parameters: the simple query protocol, the only one a walsender takes.
    const { rows } = await walsender.query(createSlotCommand(name, outputPlugin, syntax, temporary));
    created = true;
    const row = rows[0] as { consistent_point?: string; snapshot_name?: string } | undefined;
    if (!row?.consistent_point || !row.snapshot_name)
      throw new Error(`creating replication slot ${name} returned no snapshot`);
    let released = false;
    return {
      name,
      consistentPoint: row.consistent_point,
      snapshot: row.snapshot_name,
      async release() {
        if (released) return;
        released = true;
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Drops a permanent pass slot, waiting a little for its walsender to let go of it. */
async function dropPassSlot(source: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await source.query('SELECT pg_catalog.pg_drop_replication_slot($1)', [name]);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '42704') return; // gone already
      // 55006: still active, its walsender is ending
      if (code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Permanent pass slots of this database that no process uses any more (a pass that was killed). */
async function dropLeftoverPassSlots(source: pg.Client): Promise<void> {
  const { rows } = await source.query<{ slot_name: string }>(
    `SELECT slot_name FROM pg_catalog.pg_replication_slots
      WHERE slot_name LIKE $1 AND database = current_database() AND NOT active`,
    [`${PASS_SLOT_PREFIX.replaceAll('_', '\\_')}%`],
  );
  for (const { slot_name } of rows) await dropPassSlot(source, slot_name);
}
