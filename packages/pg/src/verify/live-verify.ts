import type { TableRef } from '@pgshift/plugin-api';
import { PgshiftError } from '@pgshift/plugin-api';
import type pg from 'pg';
import { readTableInventory } from '../copy/inventory.js';
import type { TableInfo } from '../copy/types.js';
import { serverVersionNum } from '../server-version.js';
import { applyFixedSettings } from '../session-settings.js';
import {
  LIVE_VERIFY_ERROR,
  markSource,
  prepareMarker,
  removeMarker,
  waitApplied,
} from './applied-position.js';
import { type Candidate, type ConfirmContext, confirmRows } from './confirm-rows.js';
import type { LiveRowDifference, LiveTableVerification, LiveVerifyReport } from './live-report.js';
import { stillDifferent } from './live-report.js';
import { openPassSlot } from './pass-slot.js';
import { prepareRepairLog } from './repair-log.js';
import { repairRow } from './repair-row.js';
import type { TableVerification } from './report.js';
import { closeSidePool, openSidePool, type SidePool } from './session-pool.js';
import { compareTables } from './table-rows.js';

export interface LiveVerifyConnections {
  /** An ordinary session on the source database. */
  source(): Promise<pg.Client>;
  /** A walsender session (replication=database) on the source database, for the pass's slot. */
  sourceReplication(): Promise<pg.Client>;
  /** A session on the target database; its application name starts with `pgshift`, so the write guard lets it write. */
  target(): Promise<pg.Client>;
}

export interface LiveVerifyOptions {
  /** The task's slot: its apply position on the target says how far sync has applied. */
  slotName: string;
  tables?: readonly TableRef[];
  jobs?: number;
  chunkRows?: number;
  /** Re-copy each confirmed differing row on the target. */
  repair?: boolean;
  /** How long to wait for the target to apply up to a position of the source. Default 300 s. */
  waitMs?: number;
  signal?: AbortSignal;
}

/** Differing rows examined per range in one pass (the others are reported as not examined). */
const EXAMINED_ROWS = 1000;

/**
 * One pass of live verify over a database that sync follows. The source is read in the snapshot
 * of a slot made for the pass, at its consistent point; once the target's apply position has
 * passed that point, the target is read in a snapshot of its own, and both are compared by
 * verify's own ranges and row hashes. The target may be past the source's point, so each differing
 * row is only a candidate until confirmRows settles it; confirmed rows are repaired with `repair`.
 */
export async function liveVerifyDatabase(
  connections: LiveVerifyConnections,
  database: string,
  options: LiveVerifyOptions,
): Promise<LiveVerifyReport> {
  const waitMs = options.waitMs ?? 300_000;
  const jobs = Math.max(1, Math.floor(options.jobs ?? 4));
  const source = await connections.source();
  let target: pg.Client | undefined;
  let marked = false;
  try {
    target = await connections.target();
    await Promise.all([applyFixedSettings(source), applyFixedSettings(target)]);
    // Repairs write as the follower does: in replica role, where the target's copies of the
    // source's triggers and foreign keys do not fire (they did on the source). A role that may not
    // set it writes as the follower then does too, in origin role.
    if (options.repair) await target.query('SET session_replication_role = replica').catch(() => {});
    const versionNum = await serverVersionNum(source);
    const outputPlugin = await taskOutputPlugin(source, options.slotName);
    await prepareMarker(source, options.slotName, versionNum);
    marked = true;
    const wait = { timeoutMs: waitMs, ...(options.signal ? { signal: options.signal } : {}) };
    // The task's apply position must be there before a slot is made for nothing.
    await waitApplied(target, options.slotName, '0/0', wait);
    const pass = await readAligned(
      connections,
      { source, target, versionNum, outputPlugin, jobs, wait },
      options,
    );
    if (options.repair) await prepareRepairLog(target);
    const ctx: ConfirmContext = {
      source,
      target,
      slotName: options.slotName,
      sourceVersionNum: versionNum,
      waitMs,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const tables: LiveTableVerification[] = [];
    for (const [i, result] of pass.compared.entries())
      tables.push(await settleTable(ctx, pass.inventory[i] as TableInfo, result, options.repair === true));
    const ok = tables.every(
      (t) =>
        !t.error &&
        t.unsettled.length === 0 &&
        t.unexamined.length === 0 &&
        !t.differences.some(stillDifferent),
    );
    return {
      database,
      sourceAt: pass.sourceAt,
      targetAt: pass.targetAt,
      tables,
      notChecked: pass.notChecked,
      repair: options.repair === true,
      ok,
    };
  } finally {
    if (marked) await removeMarker(source, options.slotName).catch(() => {});
    await Promise.all([source.end().catch(() => {}), target?.end().catch(() => {})]);
  }
}

interface Sides {
  source: pg.Client;
  target: pg.Client;
  versionNum: number;
  outputPlugin: string;
  jobs: number;
  wait: { timeoutMs: number; signal?: AbortSignal };
}

/**
 * The aligned reads: the source in the pass slot's snapshot (the slot is gone once every session
 * imported it), the target in a snapshot taken once its apply position passed a mark written after
 * the slot, so the target holds at least everything the source snapshot sees. Keyless tables are
 * left out: their rows cannot be told apart.
 */
async function readAligned(connections: LiveVerifyConnections, sides: Sides, options: LiveVerifyOptions) {
  let sourcePool: SidePool | undefined;
  let targetPool: SidePool | undefined;
  try {
    const slot = await openPassSlot(
      connections.sourceReplication,
      sides.source,
      sides.versionNum,
      sides.outputPlugin,
    );
    try {
      sourcePool = await openSidePool(connections.source, sides.jobs, slot.snapshot);
    } finally {
      await slot.release();
    }
    const all = await readTableInventory(sourcePool.sessions[0] as pg.Client, options.tables);
    const inventory = all.filter((t) => t.keyColumns.length > 0);
    const mark = await markSource(sides.source, options.slotName, sides.versionNum);
    const targetAt = await waitApplied(sides.target, options.slotName, mark, sides.wait);
    targetPool = await openSidePool(connections.target, sides.jobs);
    const targets = targetPool.sessions;
    const pairs = sourcePool.sessions
      .slice(0, targets.length)
      .map((s, i) => ({ source: s, target: targets[i] as pg.Client }));
    const compared = await compareTables(
      pairs,
      inventory,
      options.chunkRows ?? 50_000,
      sides.versionNum,
      EXAMINED_ROWS,
    );
    return {
      sourceAt: slot.consistentPoint,
      targetAt,
      inventory,
      notChecked: all.filter((t) => t.keyColumns.length === 0).map((t) => t.key),
      compared,
    };
  } finally {
    await Promise.all([closeSidePool(sourcePool), closeSidePool(targetPool)]);
  }
}

/** Confirms one table's candidate rows and, with `repair`, repairs the confirmed ones. */
async function settleTable(
  ctx: ConfirmContext,
  table: TableInfo,
  result: TableVerification,
  repair: boolean,
): Promise<LiveTableVerification> {
  const found: LiveTableVerification = {
    table: result.table,
    chunks: result.chunks,
    candidates: 0,
    differences: [],
    unsettled: [],
    unexamined: [],
    ...(result.error ? { error: result.error } : {}),
  };
  const candidates: Candidate[] = [];
  for (const d of result.differences) {
    for (const row of d.rows ?? []) candidates.push({ key: row.key, range: d.range });
    const differing = d.rowsDiffering ?? Math.max(d.sourceRows, d.targetRows);
    const examined = d.rows?.length ?? 0;
    if (differing > examined) found.unexamined.push({ range: d.range, rows: differing - examined });
  }
  found.candidates = candidates.length;
  if (candidates.length === 0) return found;
  const { confirmed, unsettled } = await confirmRows(ctx, table, candidates);
  found.unsettled = unsettled;
  for (const row of confirmed) {
    const difference: LiveRowDifference = { range: row.range, key: row.key, problem: row.problem };
    found.differences.push(difference);
    if (!repair) continue;
    try {
      difference.repair = await repairRow(
        ctx.target,
        ctx.source,
        table,
        row.key,
        row.sourceVersion,
        ctx.slotName,
        ctx.sourceVersionNum,
      );
    } catch (error) {
      difference.repair = 'failed';
      difference.repairError = error instanceof Error ? error.message : String(error);
    }
  }
  return found;
}

/** The output plugin of the task's own slot: one the source has installed, so the pass's slot can use it. */
async function taskOutputPlugin(source: pg.Client, slotName: string): Promise<string> {
  const { rows } = await source.query<{ plugin: string }>(
    'SELECT plugin FROM pg_catalog.pg_replication_slots WHERE slot_name = $1',
    [slotName],
  );
  const plugin = rows[0]?.plugin;
  if (!plugin)
    throw new PgshiftError(
      LIVE_VERIFY_ERROR,
      `the source has no replication slot ${slotName} for this task`,
      {
        remedy:
          'live verify compares a task that is following: start it with pgshift run (mode full+incremental)',
      },
    );
  return plugin;
}
