import { hasFeature, openClient, createSlotCommand as slotCommand, slotStateSql } from '@pgshift/pg';
import type { ReplicationContext, SlotHandle } from '@pgshift/plugin-api';
import type pg from 'pg';
import { CODES, ReplicationError } from './errors.js';
import { recordCopiedSnapshot } from './progress-store.js';

const SLOT_NAME = /^[a-z0-9_]{1,63}$/;

export function checkSlotName(name: string): void {
  if (!SLOT_NAME.test(name))
    throw new ReplicationError(CODES.slotName, `replication slot name ${JSON.stringify(name)} is not valid`, {
      remedy: 'use 1 to 63 lower-case letters, digits and underscores',
    });
}

/** The CREATE_REPLICATION_SLOT command for the server's syntax; the slot is permanent. */
export function createSlotCommand(
  slotName: string,
  outputPlugin: string,
  syntax: ReplicationContext['slotSnapshotSyntax'],
): string {
  return slotCommand(slotName, outputPlugin, syntax);
}

/**
 * Creates the slot on a walsender connection and keeps that connection idle, because any further
 * command on it would end the exported snapshot the full copy reads.
 */
export async function createSlot(ctx: ReplicationContext): Promise<SlotHandle> {
  checkSlotName(ctx.slotName);
  const params = ctx.source.route.connection({ database: ctx.database.name, replication: true });
  const client = await openClient(params, 'pgshift-slot');
  let own: { client: pg.Client; name: string } | undefined;
  let released = false;
  try {
    // No parameters: node-postgres uses the simple query protocol, the only one a walsender takes.
    const result = await client.query(
      createSlotCommand(ctx.slotName, ctx.decoder.outputPlugin, ctx.slotSnapshotSyntax),
    );
    const row = result.rows[0] as { consistent_point?: string; snapshot_name?: string } | undefined;
    if (!row?.consistent_point || !row.snapshot_name)
      throw new ReplicationError(CODES.slotCreate, `creating slot ${ctx.slotName} returned no snapshot`);
    ctx.logger.info('replication slot created', {
      slot: ctx.slotName,
      consistentPoint: row.consistent_point,
      outputPlugin: ctx.decoder.outputPlugin,
    });
    let snapshot = row.snapshot_name;
    if (!hasFeature((await ctx.source.version()).num, 'trustedSlotSnapshot')) {
      own = await ownSnapshot(ctx, row.consistent_point);
      snapshot = own.name;
    }
    const owned = own;
    return {
      slotName: ctx.slotName,
      consistentPoint: row.consistent_point,
      snapshot,
      async release() {
        if (released) return;
        released = true;
        await Promise.all([client.end().catch(() => {}), owned?.client.end().catch(() => {})]);
      },
    };
  } catch (error) {
    released = true;
    await Promise.all([client.end().catch(() => {}), own?.client.end().catch(() => {})]);
    if ((error as { code?: string }).code === '42710')
      throw new ReplicationError(
        CODES.slotExists,
        `replication slot ${ctx.slotName} already exists on the source`,
        {
          remedy: `resume the task, or drop the slot: SELECT pg_drop_replication_slot('${ctx.slotName}')`,
          cause: error,
        },
      );
    if (error instanceof ReplicationError) throw error;
    throw new ReplicationError(
      CODES.slotCreate,
      `could not create replication slot ${ctx.slotName}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Sources before 10 may export a slot snapshot that misses transactions committed just before the
 * slot (see the trustedSlotSnapshot feature). There the copy reads a snapshot taken after the
 * slot is consistent instead, kept open in a REPEATABLE READ transaction until released. Every
 * transaction it sees committed before it, so it is in the copy; the stream from the consistent
 * point brings some of them again, and the follower skips those by xid (recorded on the target
 * with the position, so a resumed run skips them too). What it does not see is applied.
 */
async function ownSnapshot(
  ctx: ReplicationContext,
  consistentPoint: string,
): Promise<{ client: pg.Client; name: string }> {
  const client = await openClient(
    ctx.source.route.connection({ database: ctx.database.name }),
    'pgshift-snapshot',
  );
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const { rows } = await client.query<{ name: string; visible: string }>(
      'SELECT pg_catalog.pg_export_snapshot() AS name, pg_catalog.txid_current_snapshot()::text AS visible',
    );
    const taken = rows[0];
    if (!taken) throw new ReplicationError(CODES.slotCreate, 'exporting a snapshot returned nothing');
    await recordCopiedSnapshot(ctx, consistentPoint, taken.visible);
    ctx.logger.info("the copy reads a snapshot taken after the slot, not the slot's own", {
      slot: ctx.slotName,
      snapshot: taken.visible,
    });
    return { client, name: taken.name };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Drops the slot, waiting (up to `timeoutMs`) for a walsender still using it to go away. */
export async function dropSlot(ctx: ReplicationContext, timeoutMs = 30_000): Promise<boolean> {
  const database = ctx.database.name;
  const deadline = Date.now() + timeoutMs;
  const sql = slotStateSql((await ctx.source.version()).num);
  for (;;) {
    const { rows } = await ctx.source.query<{ active: boolean; pid: number | null }>(sql, [ctx.slotName], {
      database,
    });
    const slot = rows[0];
    if (!slot) return false;
    if (!slot.active) {
      try {
        await ctx.source.query('SELECT pg_drop_replication_slot($1)', [ctx.slotName], { database });
        return true;
      } catch (error) {
        // 55006: became active again in between; 42704: dropped by someone else
        const code = (error as { code?: string }).code;
        if (code === '42704') return false;
        if (code !== '55006') throw error;
      }
    }
    if (Date.now() > deadline)
      throw new ReplicationError(
        CODES.slotBusy,
        `replication slot ${ctx.slotName} is still in use (pid ${slot.pid})`,
        {
          remedy:
            slot.pid === null
              ? 'stop the process streaming from it, or end its walsender (listed in pg_stat_replication) with pg_terminate_backend on the source'
              : `stop the process streaming from it, or SELECT pg_terminate_backend(${slot.pid}) on the source`,
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
