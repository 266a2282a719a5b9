import { compareLsn, qualified, wal2jsonAcceptsNumbersAsStrings } from '@pgshift/pg';
import {
  apiVersionSupported,
  Capability,
  type DecoderFormat,
  PLUGIN_API_VERSION,
  REPLICATOR,
  REPLICATOR_METHODS,
} from '@pgshift/plugin-api';
import { systemPostgresWith } from '@pgshift/sandbox';
import { describe, expect, it } from 'vitest';
import { FIDELITY_DATA, FIDELITY_SCHEMA, FIDELITY_TABLES } from '../loader/fidelity.js';
import { lazyServerPair, type ServerPair } from '../loader/sides.js';
import { freshInstance, type PluginFactory, subjectOf } from '../loader/types.js';
import { gate, majorsOf, type SuiteOptions } from '../options.js';
import {
  confirmedFlush,
  currentLsn,
  expectIdentical,
  prepared,
  replicationContext,
  settle,
  sleep,
  withWriter,
} from './harness.js';
import { runWorkload, WORKLOAD_TABLES } from './workload.js';

/** The names of the replicator suite's tests, for bypasses. */
export const REPLICATOR_TESTS = {
  meta: 'replicator [meta] declares kind replicator and the current plugin API, and registers a REPLICATOR',
  pgoutput: 'replicator [replicator.pgoutput] applies a concurrent workload with zero differences',
  testDecoding: 'replicator [replicator.test_decoding] applies a concurrent workload with zero differences',
  ack: 'replicator [replicator.pgoutput] acknowledges only what it applied',
  fidelity:
    'replicator [replicator.pgoutput] streams every type of the fidelity dataset exactly: inserts, updates of every column, deletes',
  resume: 'replicator [replicator.resume] resumes after being killed, with no loss and no duplicates',
  wal2json:
    'replicator [replicator.wal2json] applies a concurrent workload with zero differences, or refuses where wal2json would turn NaN into NULL',
} as const;

export function describeReplicatorMeta(factory: PluginFactory, options: SuiteOptions = {}): void {
  it(REPLICATOR_TESTS.meta, async (ctx) => {
    gate(ctx, REPLICATOR_TESTS.meta, options);
    const subject = await subjectOf(factory);
    expect(subject.plugin.meta.kind).toBe('replicator');
    expect(
      apiVersionSupported(subject.plugin.meta.apiVersion),
      `apiVersion ${subject.plugin.meta.apiVersion} runs on plugin API ${PLUGIN_API_VERSION}`,
    ).toBe(true);
    const { value: replicator } = await freshInstance(factory, REPLICATOR);
    for (const method of REPLICATOR_METHODS) expect(typeof replicator[method], method).toBe('function');
  });
}

export function describeReplicatorOnMajor(
  factory: PluginFactory,
  major: number,
  options: SuiteOptions = {},
): void {
  describe(`on PostgreSQL ${major}`, () => {
    const servers = lazyServerPair(major, async () => (await subjectOf(factory)).plugin.capabilities);
    const { pair, ensure } = servers;
    const requirement = (capability: string) => ({ capability, declared: servers.capabilities() });
    /** The decoder the ack and resume tests use: pgoutput when declared, else test_decoding. */
    const anyDecoder = (): DecoderFormat =>
      servers.capabilities().includes(Capability.replicator.pgoutput) ? 'pgoutput' : 'test_decoding';

    const workload = (name: string, format: DecoderFormat, capability: string, database: string) =>
      it(name, async (ctx) => {
        gate(ctx, name, options, requirement(capability));
        await ensure();
        const { replicator, ctx: rctx } = await prepared(factory, pair, database, format);
        let drainTo: string | undefined;
        const abort = new AbortController();
        const following = replicator.follow(rctx, { signal: abort.signal, drainTo: () => drainTo });
        try {
          // Two writers at once, so source transactions interleave.
          await Promise.all([
            withWriter(pair, database, (w) => runWorkload(w, 9, 60)),
            withWriter(pair, database, (w) => runWorkload(w, 69, 60)),
          ]);
          drainTo = await currentLsn(pair, database);
          await following;
        } finally {
          abort.abort();
          await settle(following, 10_000);
        }
        await expectIdentical(pair, database);
        await replicator.cleanup(rctx);
        expect(
          await pair.source.query('SELECT slot_name FROM pg_replication_slots WHERE slot_name = $1', [
            rctx.slotName,
          ]),
          'cleanup drops the slot',
        ).toEqual([]);
      });

    workload(REPLICATOR_TESTS.pgoutput, 'pgoutput', Capability.replicator.pgoutput, 'follow_pgoutput');
    workload(
      REPLICATOR_TESTS.testDecoding,
      'test_decoding',
      Capability.replicator.testDecoding,
      'follow_test_decoding',
    );

    it(REPLICATOR_TESTS.fidelity, async (ctx) => {
      gate(ctx, REPLICATOR_TESTS.fidelity, options, requirement(Capability.replicator.pgoutput));
      await ensure();
      const database = 'fidelity_stream';
      await pair.database(database);
      await pair.run('source', database, FIDELITY_SCHEMA);
      await pair.run('target', database, FIDELITY_SCHEMA);
      const { value: replicator } = await freshInstance(factory, REPLICATOR);
      const rctx = replicationContext(pair, database, 'pgoutput');
      await replicator.prepare(rctx);
      const slot = await replicator.createSlot(rctx);
      await slot.release();
      await replicator.initPosition(rctx, slot.consistentPoint);
      // Every value arrives as an insert, then moves to another row by an update of every column
      // (rows that exist on the target), then some rows go.
      await pair.run('source', database, FIDELITY_DATA);
      const [columns] = await pair.source.query<{ list: string }>(
        `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS list FROM pg_attribute
          WHERE attrelid = 'public.kinds'::regclass AND attnum > 1 AND NOT attisdropped`,
        [],
        database,
      );
      const list = columns?.list ?? '';
      await pair.run(
        'source',
        database,
        `UPDATE public.kinds AS k SET (${list}) = (
           SELECT ${list} FROM public.kinds AS o
            WHERE o.id = COALESCE((SELECT min(id) FROM public.kinds WHERE id > k.id), (SELECT min(id) FROM public.kinds)));
         UPDATE public.docs SET body = body || ' (changed)';
         DELETE FROM public.docs WHERE id = (SELECT min(id) FROM public.docs);
         DELETE FROM public.kinds WHERE id NOT IN (SELECT kind_id FROM public.docs WHERE kind_id IS NOT NULL)
           AND id = (SELECT max(id) FROM public.kinds);`,
      );
      const drainTo = await currentLsn(pair, database);
      await replicator.follow(rctx, { signal: new AbortController().signal, drainTo: () => drainTo });
      await expectIdentical(pair, database, FIDELITY_TABLES);
      await replicator.cleanup(rctx);
    });

    it(REPLICATOR_TESTS.ack, async (ctx) => {
      gate(ctx, REPLICATOR_TESTS.ack, options, requirement(Capability.replicator.pgoutput));
      await ensure();
      const database = 'ack';
      const { replicator, ctx: rctx } = await prepared(factory, pair, database, 'pgoutput');
      let drainTo: string | undefined;
      const abort = new AbortController();
      const following = replicator.follow(rctx, { signal: abort.signal, drainTo: () => drainTo });
      const locker = await pair.open('target', database);
      try {
        // Let the follower catch up, then block its apply behind a lock on the target.
        const caughtUp = await currentLsn(pair, database);
        for (let i = 0; i < 300; i++) {
          const applied = await replicator.appliedPosition(rctx);
          if (applied && compareLsn(applied, caughtUp) >= 0) break;
          await sleep(100);
        }
        await locker.query('BEGIN');
        await locker.query(
          `LOCK TABLE ${WORKLOAD_TABLES.map((t) => qualified(t.schema, t.name)).join(', ')} IN ACCESS EXCLUSIVE MODE`,
        );
        await withWriter(pair, database, (w) => runWorkload(w, 200, 30));
        const blockedEnd = await currentLsn(pair, database);
        // Status updates and keepalives pass while apply waits: none may confirm past the applied position.
        for (let i = 0; i < 25; i++) {
          await sleep(200);
          const confirmed = await confirmedFlush(pair, rctx.slotName);
          const applied = (await replicator.appliedPosition(rctx)) ?? '0/0';
          expect(
            compareLsn(confirmed, applied),
            `the source's confirmed_flush_lsn ${confirmed} passed the target's apply position ${applied}`,
          ).toBeLessThanOrEqual(0);
        }
        await locker.query('ROLLBACK');
        drainTo = blockedEnd;
        await following;
      } finally {
        await locker.end().catch(() => {});
        abort.abort();
        await settle(following, 10_000);
      }
      await expectIdentical(pair, database);
      await replicator.cleanup(rctx);
    });

    it(REPLICATOR_TESTS.resume, async (ctx) => {
      gate(ctx, REPLICATOR_TESTS.resume, options, requirement(Capability.replicator.resume));
      await ensure();
      const database = 'resume';
      const format = anyDecoder();
      const first = await prepared(factory, pair, database, format);
      const abandoned = new AbortController();
      const following = first.replicator.follow(first.ctx, { signal: abandoned.signal });
      following.catch(() => {});
      await withWriter(pair, database, async (writer) => {
        await runWorkload(writer, 9, 40);
        // Wait until some of it is applied, so the kill lands mid-stream.
        for (let i = 0; i < 300; i++) {
          const [row] = await pair.target.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM public.items WHERE id >= 1000',
            [],
            database,
          );
          if ((row?.n ?? 0) > 0) break;
          await sleep(50);
        }
        // The kill: every session of the running instance is cut by the servers, with no
        // shutdown; a transaction it had open on the target is rolled back.
        const write = runWorkload(writer, 49, 60);
        await sleep(100);
        await pair.source.query(
          'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
          [first.ctx.slotName],
        );
        await pair.target.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        );
        await write;
      });
      await settle(following, 15_000);
      abandoned.abort();
      // A new instance, as a restarted process: it must continue from the durable apply position.
      const { value: second } = await freshInstance(factory, REPLICATOR);
      const end = await currentLsn(pair, database);
      const signal = new AbortController();
      try {
        await second.follow(first.ctx, { signal: signal.signal, drainTo: () => end });
      } finally {
        signal.abort();
        abandoned.abort();
      }
      await expectIdentical(pair, database);
      await second.cleanup(first.ctx);
    });
  });
}

/**
 * The replicator suite: metadata, then per PostgreSQL major a concurrent workload followed to zero
 * differences (per declared decoder), acknowledgement bounded by the apply position, and resume
 * after the running instance is killed.
 */
export function describeReplicator(factory: PluginFactory, options: SuiteOptions = {}): void {
  describeReplicatorMeta(factory, options);
  for (const major of majorsOf(options)) describeReplicatorOnMajor(factory, major, options);
  describeReplicatorWal2json(factory, options);
}

/**
 * wal2json is in no npm build of PostgreSQL: its test runs on the newest system PostgreSQL that
 * has it (Debian's layout, e.g. packages postgresql-15 and postgresql-15-wal2json), or skips.
 */
export function describeReplicatorWal2json(factory: PluginFactory, options: SuiteOptions = {}): void {
  const { binaries, missing } = systemPostgresWith('wal2json.so');
  describe(`on a system PostgreSQL with wal2json${binaries ? ` (${binaries.major})` : ''}`, () => {
    const servers = lazyServerPair(
      binaries?.major ?? 0,
      async () => (await subjectOf(factory)).plugin.capabilities,
      binaries,
    );
    const { pair, ensure } = servers;

    it(REPLICATOR_TESTS.wal2json, async (ctx) => {
      gate(ctx, REPLICATOR_TESTS.wal2json, options, {
        capability: Capability.replicator.wal2json,
        declared: servers.capabilities(),
      });
      if (missing) ctx.skip(missing);
      await ensure();
      const database = 'follow_wal2json';
      const { replicator, ctx: rctx } = await prepared(factory, pair, database, 'wal2json');
      // wal2json before 2.6 cannot send NaN and Infinity except as null; the workload has both.
      const exact = await numbersAsStrings(pair, database);
      let drainTo: string | undefined;
      const abort = new AbortController();
      const following = replicator.follow(rctx, { signal: abort.signal, drainTo: () => drainTo });
      following.catch(() => {});
      let failure: unknown;
      try {
        await withWriter(pair, database, (w) => runWorkload(w, 9, 60));
        drainTo = await currentLsn(pair, database);
        await following;
      } catch (error) {
        failure = error;
      } finally {
        abort.abort();
        await settle(following, 10_000);
      }
      if (exact || failure === undefined) {
        expect(failure, 'this wal2json sends numbers as strings, so following must succeed').toBeUndefined();
        await expectIdentical(pair, database);
      } else {
        // Refused: acceptable, as long as no NaN or Infinity became NULL on the way (the source has
        // no NULL in either column).
        const [row] = await pair.target.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM public.items WHERE n IS NULL OR f IS NULL',
          [],
          database,
        );
        expect(row?.n, 'rows whose NaN or Infinity arrived as NULL').toBe(0);
      }
      await replicator.cleanup(rctx);
    });
  });
}

/** Whether the source's wal2json knows numeric-data-types-as-string (2.6+), on a throwaway slot. */
async function numbersAsStrings(pair: ServerPair, database: string): Promise<boolean> {
  const client = await pair.open('source', database);
  try {
    await client.query("SELECT pg_create_logical_replication_slot('conformance_probe', 'wal2json', true)");
    return await wal2jsonAcceptsNumbersAsStrings(client, 'conformance_probe');
  } finally {
    await client.end();
  }
}
