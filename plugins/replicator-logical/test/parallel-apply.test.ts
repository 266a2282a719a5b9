import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareLsn } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFollowChild } from './child.js';
import {
  appliedPosition,
  type ContextSpec,
  connect,
  currentWalLsn,
  fingerprint,
  readyToFollow,
  rowDiff,
  sleep,
  watchAcknowledgements,
} from './helpers.js';
import { PARALLEL_SCHEMA, PARALLEL_SEED, PARALLEL_TABLES, runParallelWriters } from './parallel-workload.js';

let source: SandboxServer;
let target: SandboxServer;
let dir: string;

beforeAll(async () => {
  [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
  dir = mkdtempSync(join(tmpdir(), 'pgshift-parallel-'));
});

afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Spec = ContextSpec & { drainFile: string };

function spec(database: string, options: Record<string, unknown>): Spec {
  return {
    source: source.connection(),
    target: target.connection(),
    database,
    format: 'pgoutput',
    slotName: `s_${database}`,
    sourceMajor: 15,
    tables: PARALLEL_TABLES,
    options,
    drainFile: join(dir, `drain-${database}`),
  };
}

async function expectIdentical(s: Spec): Promise<void> {
  for (const table of PARALLEL_TABLES) {
    const [a, b] = [
      await fingerprint(s.source, s.database, table),
      await fingerprint(s.target, s.database, table),
    ];
    expect(b, a === b ? table.name : await rowDiff(s.source, s.target, s.database, table)).toBe(a);
  }
}

async function beyondRecords(database: string, slot: string): Promise<string[]> {
  const [table] = await target.query<{ t: string | null }>(
    "SELECT to_regclass('pgshift.apply_beyond')::text AS t",
    [],
    database,
  );
  if (!table?.t) return [];
  const rows = await target.query<{ lsn: string }>(
    'SELECT unnest(commit_lsns)::text AS lsn FROM pgshift.apply_beyond WHERE slot_name = $1',
    [slot],
    database,
  );
  return rows.map((r) => r.lsn);
}

/** Sessions of pgshift's apply on the target: lane sessions are named pgshift-apply-N. */
async function applySessions(database: string): Promise<string[]> {
  const rows = await target.query<{ name: string }>(
    "SELECT application_name AS name FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'pgshift-apply%'",
    [database],
  );
  return rows.map((r) => r.name);
}

/** A killed follower's target sessions may still be running what it sent: end them, as a restart would find them. */
async function endOrphans(database: string): Promise<void> {
  await target.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'pgshift-apply%'",
    [database],
  );
}

describe('parallel apply (applySessions 3), PostgreSQL 15 to 17', () => {
  it('killed with SIGKILL mid-apply under conflicting and foreign-key-related transactions, resumes and ends identical', async () => {
    const s = spec('par_crash', { groupMaxMs: 100, applySessions: 3, parallelMaxTransactionChanges: 200 });
    const { ctx, replicator } = await readyToFollow({ ...s, ddl: PARALLEL_SCHEMA + PARALLEL_SEED });
    const acks = watchAcknowledgements(source, target, s.database, s.slotName);
    const writing = runParallelWriters(s.source, s.database, 4, 160);
    let sawLanes = false;
    for (let round = 0; round < 2; round++) {
      const child = startFollowChild(s);
      const before = await appliedPosition(target, s.database, s.slotName);
      while (compareLsn(await appliedPosition(target, s.database, s.slotName), before) <= 0) {
        if (child.process.exitCode !== null) throw new Error(child.output.join('\n'));
        await sleep(50);
      }
      sawLanes ||= (await applySessions(s.database)).includes('pgshift-apply-2');
      await sleep(300 + round * 400);
      child.process.kill('SIGKILL');
      await child.exited;
      await endOrphans(s.database);
    }
    await writing;
    writeFileSync(s.drainFile, await currentWalLsn(s.source, s.database));
    const last = startFollowChild(s);
    expect(await last.exited, last.output.join('\n')).toBe(0);
    const { checks, violations } = await acks.stop();

    await expectIdentical(s);
    expect(sawLanes).toBe(true);
    expect(checks).toBeGreaterThan(10);
    expect(violations).toBe(0);
    // Drained: the position covers everything, so no record beyond it is left.
    expect(await beyondRecords(s.database, s.slotName)).toEqual([]);
    // Cleanup (finish) removes the table of records with the rest of the bookkeeping.
    await replicator.cleanup(ctx);
    const [left] = await target.query<{ t: string | null }>(
      "SELECT to_regclass('pgshift.apply_beyond')::text AS t",
      [],
      s.database,
    );
    expect(left?.t).toBeNull();
  }, 300_000);

  it('a restart skips exactly the transactions recorded beyond the durable position', async () => {
    const s = spec('par_skip', { groupMaxMs: 50, applySessions: 2 });
    await readyToFollow({ ...s, ddl: PARALLEL_SCHEMA + PARALLEL_SEED });
    // The backlog, made while nothing follows: one transaction that will wait on a lock held on
    // the target, among inserts that do not conflict with it. The first transaction brings each
    // table's definition (a Relation message), so it is applied alone; the rest are placed.
    const writer = await connect(s.source, s.database);
    await writer.query('BEGIN; UPDATE hot SET v = v WHERE id = 2; INSERT INTO log VALUES (1000); COMMIT');
    await writer.query('UPDATE hot SET v = v + 1 WHERE id = 1');
    for (let i = 0; i < 40; i++) await writer.query(`INSERT INTO log VALUES (${i})`);
    await writer.end();

    const locker = await connect(s.target, s.database);
    await locker.query('BEGIN');
    await locker.query('SELECT * FROM hot WHERE id = 1 FOR UPDATE');
    const child = startFollowChild(s);
    try {
      // The lane without the blocked transaction commits its share, recorded beyond the position.
      for (let waited = 0; (await beyondRecords(s.database, s.slotName)).length === 0; waited += 50) {
        if (child.process.exitCode !== null || waited > 60_000) throw new Error(child.output.join('\n'));
        await sleep(50);
      }
      await sleep(300);
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
      await endOrphans(s.database);
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const recorded = await beyondRecords(s.database, s.slotName);
    const [logRows] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM log', [], s.database);
    const [hot] = await target.query<{ v: number }>('SELECT v FROM hot WHERE id = 1', [], s.database);
    // Some transactions after the blocked one are in, the blocked one is not: the position stops
    // before it and the rest are known only from their records.
    expect(recorded.length).toBeGreaterThan(1);
    expect(logRows?.n).toBeGreaterThan(1);
    expect(logRows?.n).toBeLessThan(41);
    expect(hot?.v).toBe(0);

    // Applying a recorded insert again would fail on its key; skipping one not recorded would lose a row.
    writeFileSync(s.drainFile, await currentWalLsn(s.source, s.database));
    const rerun = startFollowChild(s);
    expect(await rerun.exited, rerun.output.join('\n')).toBe(0);
    await expectIdentical(s);
    expect(await beyondRecords(s.database, s.slotName)).toEqual([]);
  }, 180_000);
});

describe('parallel apply falls back to one session', () => {
  it('with test_decoding (no commit LSN at BEGIN): one session, still exact', async () => {
    const s = { ...spec('par_text', { applySessions: 3 }), format: 'test_decoding' as const };
    await readyToFollow({ ...s, ddl: PARALLEL_SCHEMA + PARALLEL_SEED });
    await runParallelWriters(s.source, s.database, 2, 30);
    writeFileSync(s.drainFile, await currentWalLsn(s.source, s.database));
    const run = startFollowChild(s);
    expect(await run.exited, run.output.join('\n')).toBe(0);
    await expectIdentical(s);
  }, 120_000);
});
