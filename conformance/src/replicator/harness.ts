import { pipeline } from 'node:stream/promises';
import { qualified } from '@pgshift/pg';
import {
  type DecoderFormat,
  nullProgress,
  REPLICATOR,
  type ReplicationContext,
  silentLogger,
} from '@pgshift/plugin-api';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { expect } from 'vitest';
import { multisetDifference, rowHashes, type ServerPair } from '../loader/sides.js';
import { freshInstance, type PluginFactory } from '../loader/types.js';
import { runWorkload, WORKLOAD_SCHEMA, WORKLOAD_SEED, WORKLOAD_TABLES } from './workload.js';

/*
 * What the replicator suite's tests are made of: a pair of databases prepared as the kernel
 * would (slot, snapshot copy, initial position), writers, LSN probes and the final compare.
 */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function replicationContext(
  pair: ServerPair,
  database: string,
  format: DecoderFormat,
): ReplicationContext {
  return {
    source: pair.handle('source', database),
    target: pair.handle('target', database),
    database: { name: database, whole: true, tables: [] },
    decoder: { outputPlugin: format, format, publication: format === 'pgoutput' },
    slotSnapshotSyntax: pair.major >= 15 ? 'option-list' : 'keyword',
    slotName: `conformance_${database}`,
    publicationName: `conformance_${database}`,
    taskName: `conformance-${database}`,
    progress: nullProgress,
    logger: silentLogger,
  };
}

/** The simplest full copy: every table by COPY inside a transaction that imports the snapshot. */
async function copySnapshot(pair: ServerPair, database: string, snapshot: string): Promise<void> {
  const reader = await pair.open('source', database);
  const writer = await pair.open('target', database);
  try {
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
    await reader.query('SET extra_float_digits = 3');
    await writer.query('BEGIN');
    for (const t of WORKLOAD_TABLES) {
      const name = qualified(t.schema, t.name);
      await pipeline(
        reader.query(copyTo(`COPY ${name} TO STDOUT`)),
        writer.query(copyFrom(`COPY ${name} FROM STDIN`)),
      );
    }
    await writer.query('COMMIT');
    await reader.query('COMMIT');
  } finally {
    await reader.end();
    await writer.end();
  }
}

export async function currentLsn(pair: ServerPair, database: string): Promise<string> {
  // The insert position: commits that already returned can lie beyond the write position.
  const [row] = await pair.source.query<{ lsn: string }>(
    'SELECT pg_current_wal_insert_lsn()::text AS lsn',
    [],
    database,
  );
  return row?.lsn ?? '0/0';
}

export async function confirmedFlush(pair: ServerPair, slot: string): Promise<string> {
  const [row] = await pair.source.query<{ lsn: string | null }>(
    'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  return row?.lsn ?? '0/0';
}

/** Every table's rows compared as server-side md5 multisets: zero rows on one side only. */
export async function expectIdentical(
  pair: ServerPair,
  database: string,
  tables = WORKLOAD_TABLES,
): Promise<void> {
  const [source, target] = [await pair.open('source', database), await pair.open('target', database)];
  try {
    for (const table of tables) {
      const diff = multisetDifference(await rowHashes(source, table), await rowHashes(target, table));
      expect(diff, `${table.name}: rows only on the source / only on the target`).toEqual({
        onlyA: 0,
        onlyB: 0,
      });
    }
  } finally {
    await source.end();
    await target.end();
  }
}

/** Source and target databases with the workload's tables, a slot, the snapshot copied, the position initialised. */
export async function prepared(
  factory: PluginFactory,
  pair: ServerPair,
  database: string,
  format: DecoderFormat,
) {
  await pair.database(database);
  await pair.run('source', database, WORKLOAD_SCHEMA + WORKLOAD_SEED);
  await pair.run('target', database, WORKLOAD_SCHEMA);
  const { value: replicator } = await freshInstance(factory, REPLICATOR);
  const ctx = replicationContext(pair, database, format);
  await replicator.prepare(ctx);
  const slot = await replicator.createSlot(ctx);
  expect(slot.snapshot.length).toBeGreaterThan(0);
  // Committed after the slot's snapshot: must arrive through the stream, not the copy.
  const writer = await pair.open('source', database);
  try {
    await runWorkload(writer, 0, 9);
  } finally {
    await writer.end();
  }
  await copySnapshot(pair, database, slot.snapshot);
  await slot.release();
  await replicator.initPosition(ctx, slot.consistentPoint);
  expect(await replicator.appliedPosition(ctx), 'appliedPosition after initPosition').toBe(
    slot.consistentPoint,
  );
  return { replicator, ctx };
}

export async function withWriter<T>(
  pair: ServerPair,
  database: string,
  body: (writer: pg.Client) => Promise<T>,
): Promise<T> {
  const writer = await pair.open('source', database);
  try {
    return await body(writer);
  } finally {
    await writer.end();
  }
}

/** Waits for a follow promise that may hang after its connections were cut; gives up after a while. */
export async function settle(following: Promise<unknown>, ms: number): Promise<void> {
  await Promise.race([following.catch(() => {}), sleep(ms)]);
}
