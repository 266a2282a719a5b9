import { compareLsn, wal2jsonAcceptsNumbersAsStrings } from '@pgshift/pg';
import type { DecoderFormat, ProgressEvent, TableRef } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres, systemPostgresWith } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogicalReplicator } from '../src/index.js';

import {
  connect,
  copySnapshot,
  createDatabase,
  currentWalLsn,
  exec,
  fingerprint,
  makeContext,
  readyToFollow,
  rowDiff,
  sleep,
} from './helpers.js';
import { runWriter, SCHEMA, SEED, TABLES } from './workload.js';

/**
 * wal2json is not in the npm builds of PostgreSQL: its tests run on a system PostgreSQL that has it
 * (scripts/ci-prerequisites.sh installs Debian's postgresql-15 and postgresql-15-wal2json).
 */
const wal2json = systemPostgresWith('wal2json.so');

let source17: SandboxServer;
let source10: SandboxServer;
let target: SandboxServer;

beforeAll(async () => {
  [source17, source10, target] = await Promise.all([
    startPostgres({ major: 17 }),
    startPostgres({ major: 10 }),
    startPostgres({ major: 17 }),
  ]);
});

afterAll(async () => {
  await Promise.all([source17?.stop(), source10?.stop(), target?.stop()]);
});

/** Reads the slot's confirmed position, then the target's durable one (which only grows). */
async function ackWithinApplied(source: SandboxServer, database: string, slot: string): Promise<boolean> {
  const [row] = await source.query<{ lsn: string | null }>(
    'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  const [applied] = await target.query<{ lsn: string }>(
    'SELECT end_lsn::text AS lsn FROM pgshift.apply_progress WHERE slot_name = $1',
    [slot],
    database,
  );
  if (!row?.lsn || !applied) return true;
  return compareLsn(row.lsn, applied.lsn) <= 0;
}

async function followUnderWrites(
  server: SandboxServer,
  format: DecoderFormat,
  database: string,
  tables: TableRef[] = TABLES,
) {
  const truncate = server.major >= 11;
  const src = server.connection();
  const dst = target.connection();
  await createDatabase(src, database);
  await createDatabase(dst, database);
  await exec(src, database, SCHEMA + SEED);
  await exec(dst, database, SCHEMA);
  const events: ProgressEvent[] = [];
  const ctx = makeContext({
    source: src,
    target: dst,
    database,
    format,
    slotName: `s_${database}`,
    sourceMajor: server.major,
    tables,
    events,
  });
  const replicator = new LogicalReplicator({ groupMaxMs: 100, lagIntervalMs: 200 });
  await replicator.prepare(ctx);
  await replicator.prepare(ctx); // idempotent
  const slot = await replicator.createSlot(ctx);
  // Committed after the snapshot: must arrive through the stream, not the copy.
  await runWriter(src, database, 0, 12, truncate);
  await copySnapshot(src, dst, database, slot.snapshot, tables);
  await slot.release();
  await replicator.initPosition(ctx, slot.consistentPoint);
  expect(await replicator.appliedPosition(ctx)).toBe(slot.consistentPoint);

  let drainTo: string | undefined;
  const following = replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });
  let ackViolations = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      if (!(await ackWithinApplied(server, database, ctx.slotName))) ackViolations++;
      await sleep(100);
    }
  })();
  await runWriter(src, database, 12, 160, truncate);
  drainTo = await currentWalLsn(src, database);
  await following;
  sampling = false;
  await sampler;

  for (const table of tables) {
    const [a, b] = [await fingerprint(src, database, table), await fingerprint(dst, database, table)];
    expect(b, a === b ? table.name : await rowDiff(src, dst, database, table)).toBe(a);
  }
  expect(ackViolations).toBe(0);
  const status = replicator.status();
  expect(status?.transactionsApplied).toBeGreaterThan(100);
  expect(events.some((e) => e.type === 'lag')).toBe(true);
  // TOASTed values (over 1 MB) arrived whole.
  const [big] = await target.query<{ n: number }>(
    'SELECT min(length(big))::int AS n FROM docs',
    [],
    database,
  );
  expect(big?.n).toBeGreaterThan(1_000_000);

  await replicator.cleanup(ctx);
  expect(
    await server.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [ctx.slotName]),
  ).toEqual([]);
  expect(await server.query('SELECT 1 FROM pg_publication', [], database)).toEqual([]);
}

describe('logical replicator following a source under writes', () => {
  it('PG17 -> PG17 with pgoutput: zero differences after drain', async () => {
    await followUnderWrites(source17, 'pgoutput', 'pgo17');
  });

  it('PG17 -> PG17 with test_decoding: zero differences after drain', async () => {
    await followUnderWrites(source17, 'test_decoding', 'td17');
  });

  it('PG10 -> PG17 with pgoutput (PG10 cannot decode TRUNCATE, so the writer does not truncate)', async () => {
    await followUnderWrites(source10, 'pgoutput', 'pgo10');
  });

  describe.skipIf(wal2json.missing)(
    `with wal2json from a system PG${wal2json.binaries?.major ?? ''} source${wal2json.missing ? ` (skipped: ${wal2json.missing})` : ''}`,
    () => {
      let systemSource: SandboxServer;
      /** Whether this wal2json sends numbers as strings (2.6+), so NaN and Infinity arrive exactly. */
      let numbersAsStrings: boolean;

      beforeAll(async () => {
        const binaries = wal2json.binaries;
        if (!binaries) return;
        systemSource = await startPostgres({ major: binaries.major, binaries });
        const client = await connect(systemSource.connection(), 'postgres');
        try {
          await client.query("SELECT pg_create_logical_replication_slot('probe', 'wal2json')");
          numbersAsStrings = await wal2jsonAcceptsNumbersAsStrings(client, 'probe');
          await client.query("SELECT pg_drop_replication_slot('probe')");
        } finally {
          await client.end();
        }
      });

      afterAll(async () => {
        await systemSource?.stop();
      });

      it('-> PG17: zero differences after drain (without float and numeric columns if wal2json < 2.6)', async () => {
        // An older wal2json is refused for tables with such columns (next test); the others follow.
        const tables = numbersAsStrings ? TABLES : TABLES.filter((t) => t.name !== 'items');
        await followUnderWrites(systemSource, 'wal2json', 'w2j15', tables);
      });

      it('refuses a wal2json older than 2.6 when a followed column could hold NaN or Infinity', async (test) => {
        if (numbersAsStrings)
          test.skip('this wal2json sends numbers as strings: NaN is exact (previous test)');
        const database = 'w2j_nan';
        const src = systemSource.connection();
        const { ctx, replicator, consistentPoint } = await readyToFollow({
          source: src,
          target: target.connection(),
          database,
          format: 'wal2json',
          slotName: 's_w2j_nan',
          sourceMajor: systemSource.major,
          tables: TABLES,
          ddl: SCHEMA,
        });
        await exec(src, database, "INSERT INTO items (id, f, n) VALUES (1, 'NaN', 'NaN')");
        const drainTo = await currentWalLsn(src, database);
        await expect(
          replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo }),
        ).rejects.toMatchObject({
          code: 'PGSHIFT_REPL_FORMAT',
          message: expect.stringContaining('public.items.f, public.items.n'),
          remedy: expect.stringContaining('upgrade wal2json'),
        });
        // Nothing was applied, and the position did not move.
        expect(await target.query('SELECT 1 FROM items', [], database)).toEqual([]);
        expect(await replicator.appliedPosition(ctx)).toBe(consistentPoint);
        await replicator.cleanup(ctx);
      });
    },
  );

  it.each(['pgoutput', 'test_decoding'] as const)(
    'follows inserts into a table without columns (%s)',
    async (format) => {
      const database = `nocols_${format}`;
      const src = source17.connection();
      const { ctx, replicator } = await readyToFollow({
        source: src,
        target: target.connection(),
        database,
        format,
        slotName: `s_nocols_${format}`,
        sourceMajor: 17,
        tables: [{ schema: 'public', name: 'empty' }],
        ddl: 'CREATE TABLE empty (); ALTER TABLE empty REPLICA IDENTITY FULL',
      });
      await exec(src, database, 'INSERT INTO empty SELECT FROM generate_series(1, 3)');
      await exec(src, database, 'INSERT INTO empty DEFAULT VALUES');
      const drainTo = await currentWalLsn(src, database);
      await replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });
      expect(await target.query('SELECT count(*)::int AS n FROM empty', [], database)).toEqual([{ n: 4 }]);
      await replicator.cleanup(ctx);
    },
  );

  it('does not acknowledge past the applied position while apply is blocked', async () => {
    const database = 'ack';
    const src = source17.connection();
    const dst = target.connection();
    const { ctx, replicator } = await readyToFollow({
      source: src,
      target: dst,
      database,
      format: 'pgoutput',
      slotName: 's_ack',
      sourceMajor: 17,
      tables: [{ schema: 'public', name: 't' }],
      options: { statusIntervalMs: 100 },
      ddl: 'CREATE TABLE t (id int PRIMARY KEY, v text)',
    });
    const abort = new AbortController();
    let drainTo: string | undefined;
    const following = replicator.follow(ctx, { signal: abort.signal, drainTo: () => drainTo });
    await exec(src, database, "INSERT INTO t VALUES (1, 'before')");
    const firstGoal = await currentWalLsn(src, database);
    while (compareLsn(replicator.status()?.appliedLsn ?? '0/0', firstGoal) < 0) await sleep(50);
    const appliedBefore = replicator.status()?.appliedLsn ?? '';

    const locker = await connect(dst, database);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
    for (let i = 2; i < 12; i++) await exec(src, database, `INSERT INTO t VALUES (${i}, 'blocked')`);
    const blockedEnd = await currentWalLsn(src, database);
    // Several status intervals and keepalives pass while apply waits for the lock.
    for (let i = 0; i < 15; i++) {
      await sleep(100);
      const [row] = await source17.query<{ lsn: string }>(
        'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
        ['s_ack'],
      );
      expect(compareLsn(row?.lsn ?? '0/0', appliedBefore)).toBeLessThanOrEqual(0);
      expect(await ackWithinApplied(source17, database, 's_ack')).toBe(true);
    }
    expect(replicator.status()?.appliedLsn).toBe(appliedBefore);
    await locker.query('ROLLBACK');
    await locker.end();
    drainTo = blockedEnd;
    await following;
    expect(await target.query('SELECT count(*)::int AS n FROM t', [], database)).toEqual([{ n: 11 }]);
    await sleep(300);
    const [after] = await source17.query<{ lsn: string }>(
      'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
      ['s_ack'],
    );
    expect(compareLsn(after?.lsn ?? '0/0', appliedBefore)).toBeGreaterThan(0);
    abort.abort();
    await replicator.cleanup(ctx);
  });

  it('stops on abort without committing half a source transaction, and resumes it whole', async () => {
    const database = 'abort';
    const src = source17.connection();
    const dst = target.connection();
    const { ctx, replicator } = await readyToFollow({
      source: src,
      target: dst,
      database,
      format: 'test_decoding',
      slotName: 's_abort',
      sourceMajor: 17,
      // Small pieces, so the big transaction reaches the target in many round trips.
      options: { batchMaxRows: 100, foldMaxRows: 1000, pipelineMaxStatements: 5 },
      ddl: 'CREATE TABLE t (id int PRIMARY KEY, v text)',
    });
    await exec(src, database, "INSERT INTO t VALUES (0, 'small')");
    await exec(src, database, "INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 60000) g");
    const end = await currentWalLsn(src, database);

    // Another target session holds key 3000 uncommitted: apply waits there, mid-transaction.
    const blocker = await connect(dst, database);
    await blocker.query("BEGIN; INSERT INTO t VALUES (3000, 'blocker')");
    const abort = new AbortController();
    const following = replicator.follow(ctx, { signal: abort.signal });
    for (;;) {
      const [waiting] = await target.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pgshift-apply' AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL",
        [],
        database,
      );
      if ((waiting?.n ?? 0) > 0) break;
      await sleep(20);
    }
    abort.abort();
    await blocker.query('ROLLBACK');
    await blocker.end();
    await following;
    const [afterAbort] = await target.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM t WHERE id > 0',
      [],
      database,
    );
    expect(afterAbort?.n).toBe(0);
    expect(compareLsn((await replicator.appliedPosition(ctx)) ?? '0/0', end)).toBeLessThan(0);

    await replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => end });
    expect(await target.query('SELECT count(*)::int AS n FROM t', [], database)).toEqual([{ n: 60001 }]);
    await replicator.cleanup(ctx);
    expect(await target.query("SELECT to_regclass('pgshift.apply_progress') AS r", [], database)).toEqual([
      { r: null },
    ]);
  });
});
