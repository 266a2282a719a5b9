import { type ChunkSpec, exportSnapshot, openClient, readTableInventory } from '@pgshift/pg';
import type { ProgressEventInput, Throttle } from '@pgshift/plugin-api';
import { isPgshiftError } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../src/index.js';
import { freshDatabase, opener, rows, run } from './copy-fixtures.js';

const TABLES = `
  CREATE TABLE public.big (id int PRIMARY KEY, payload text NOT NULL);
  CREATE TABLE public.keyless (n int, t text);
  CREATE TABLE public.small (id int PRIMARY KEY, v text);
  CREATE TABLE public.nocols ();`;

const BIG = '"public"."big"';

/** Resolves once `count` callers wait on it; fails the test instead of hanging when they never come. */
function barrier(count: number, what: string) {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    if (++waiting >= count) open();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: only ${waiting} of ${count} arrived`)), 20_000).unref(),
    );
    await Promise.race([opened, timeout]);
  };
}

describe('parallel copy', () => {
  let pg17: SandboxServer;
  let pg10: SandboxServer;
  beforeAll(async () => {
    [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
    for (const server of [pg17, pg10]) {
      await freshDatabase(server, 'par_src');
      await run(
        server,
        'par_src',
        `${TABLES}
         INSERT INTO big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 20000) g;
         INSERT INTO keyless SELECT g % 100, md5(g::text) FROM generate_series(1, 5000) g;
         INSERT INTO small VALUES (1, 'one'), (2, 'two');
         INSERT INTO nocols DEFAULT VALUES; INSERT INTO nocols DEFAULT VALUES;
         ANALYZE;`,
      );
    }
  });
  afterAll(async () => {
    await Promise.all([pg17?.stop(), pg10?.stop()]);
  });

  async function target(db: string) {
    await freshDatabase(pg17, db);
    await run(pg17, db, TABLES);
  }

  async function content(server: SandboxServer, db: string) {
    const [r] = await rows(
      server,
      db,
      `SELECT (SELECT count(*) FROM big)::text AS n, (SELECT count(DISTINCT id) FROM big)::text AS d,
              (SELECT md5(string_agg(id || payload, ',' ORDER BY id)) FROM big) AS h,
              (SELECT count(*) FROM keyless)::text AS k, (SELECT count(*) FROM nocols)::text AS z`,
    );
    return r;
  }

  for (const [label, sourceMajor, kind] of [
    ['17 → 17 (ctid page ranges)', 17, 'ctid'],
    ['10 → 17 (primary-key ranges)', 10, 'key'],
  ] as const) {
    it(`splits a large table and 4 workers share it: ${label}`, async () => {
      const source = sourceMajor === 17 ? pg17 : pg10;
      await target('par_dst');
      const events: ProgressEventInput[] = [];
      // Four chunks of the big table must be in flight at once, or this never opens.
      const together = barrier(4, 'big-table chunks in flight together');
      const result = await copyDatabase({
        openSource: opener(source, 'par_src'),
        openTarget: opener(pg17, 'par_dst'),
        database: 'par_src',
        jobs: 4,
        splitTableBytes: 256 * 1024,
        onLostSnapshot: 'fail',
        progress: { emit: (e) => events.push(e) },
        progressIntervalMs: 0,
        hooks: { chunkCopied: (c) => (c.table === BIG && c.chunk < 4 ? together() : undefined) },
      });
      expect(result.consistent).toBe(true);
      expect(result.rows).toBe(20000 + 5000 + 2 + 2);
      expect(result.tables).toBe(4);
      const plan = await rows<{ kind: string; n: string }>(
        pg17,
        'par_dst',
        `SELECT kind, count(*)::text AS n FROM pgshift.copy_progress WHERE table_key = '${BIG}' GROUP BY kind`,
      );
      expect(plan).toHaveLength(1);
      expect(plan[0]?.kind).toBe(kind);
      expect(Number(plan[0]?.n)).toBeGreaterThanOrEqual(4);
      const actual = await content(pg17, 'par_dst');
      expect(actual).toEqual(await content(source, 'par_src'));
      expect(actual).toMatchObject({ n: '20000', d: '20000', k: '5000', z: '2' });
      const tableDone = events.filter((e) => e.type === 'table-progress' && e.done);
      expect(new Set(tableDone.map((e) => (e.type === 'table-progress' ? e.table : '')))).toEqual(
        new Set([BIG, '"public"."keyless"', '"public"."small"', '"public"."nocols"']),
      );
      const last = events.filter((e) => e.type === 'copy-progress').at(-1);
      expect(last).toMatchObject({ type: 'copy-progress', rows: 25004, tablesDone: 4, tablesTotal: 4 });
      if (last?.type === 'copy-progress') expect(last.bytes).toBeGreaterThan(20000 * 128);
    });
  }

  it('every worker takes what it reads from the one throttle, and waits when told to', async () => {
    await target('par_throttled');
    let bytes = 0;
    let rowsTaken = 0;
    let waits = 0;
    // A throttle that makes every other read wait a turn of the event loop: the source socket is
    // paused and resumed again and again, and nothing may be lost or doubled.
    const throttle: Throttle = {
      limited: true,
      take(r, b) {
        bytes += b;
        rowsTaken += r;
        if (++waits % 2 === 0) return undefined;
        return new Promise((resolve) => setImmediate(resolve));
      },
    };
    const result = await copyDatabase({
      openSource: opener(pg17, 'par_src'),
      openTarget: opener(pg17, 'par_throttled'),
      database: 'par_src',
      jobs: 4,
      splitTableBytes: 256 * 1024,
      onLostSnapshot: 'fail',
      throttle,
    });
    expect(await content(pg17, 'par_throttled')).toEqual(await content(pg17, 'par_src'));
    // Every COPY byte read was taken, and a row is a CopyData message (binary COPY adds its trailer).
    expect(bytes).toBe(result.bytes);
    expect(rowsTaken).toBeGreaterThanOrEqual(result.rows);
    expect(rowsTaken).toBeLessThanOrEqual(result.rows + result.chunks);
    expect(waits).toBeGreaterThan(10);
  });

  it("builds a table's indexes while other tables are still copying", async () => {
    await target('par_overlap');
    let indexed!: () => void;
    const bigIndexed = new Promise<void>((resolve) => {
      indexed = resolve;
    });
    const order: string[] = [];
    const commitModes = new Set<string>();
    await copyDatabase({
      openSource: opener(pg17, 'par_src'),
      openTarget: opener(pg17, 'par_overlap'),
      database: 'par_src',
      jobs: 2,
      splitTableBytes: 256 * 1024,
      onLostSnapshot: 'fail',
      tablePostData: async (table, client) => {
        const { rows: setting } = await client.query("SELECT current_setting('synchronous_commit') AS v");
        commitModes.add(setting[0]?.v);
        if (table === BIG) await client.query('CREATE INDEX big_payload ON public.big (payload)');
        order.push(`post ${table}`);
        if (table === BIG) indexed();
      },
      hooks: {
        // The smallest table holds its chunk open until the big table's index exists: this only
        // finishes if post-data runs beside the copy rather than after it.
        chunkCopied: async (c: ChunkSpec) => {
          if (c.table === '"public"."small"') await bigIndexed;
        },
        chunkCommitted: (c) => void order.push(`copied ${c.table}`),
      },
    });
    expect(order.indexOf(`post ${BIG}`)).toBeLessThan(order.indexOf('copied "public"."small"'));
    // Index builds and their marks commit together, so their sessions need not wait for a flush.
    expect([...commitModes]).toEqual(['off']);
    const [idx] = await rows(
      pg17,
      'par_overlap',
      `SELECT count(*)::text AS n FROM pg_indexes WHERE indexname = 'big_payload'`,
    );
    expect(idx?.n).toBe('1');
    const [marks] = await rows(
      pg17,
      'par_overlap',
      'SELECT count(*)::text AS n FROM pgshift.copy_tables WHERE post_data_at IS NOT NULL',
    );
    expect(marks?.n).toBe('4');
  });

  it("builds a table's indexes side by side, then its constraints with its done mark", async () => {
    await target('par_builds');
    // Three builds of the big table: each waits until all three run, which needs three sessions.
    const together = barrier(3, 'index builds of one table running together');
    const builds = ['a', 'b', 'c'].map((name) => async (client: pg.Client) => {
      await client.query(`CREATE INDEX IF NOT EXISTS big_${name} ON public.big (payload)`);
      await together();
    });
    const finishedAfter: string[] = [];
    await copyDatabase({
      openSource: opener(pg17, 'par_src'),
      openTarget: opener(pg17, 'par_builds'),
      database: 'par_src',
      // Two post-data sessions while tables copy, four once the copy is over.
      jobs: 4,
      splitTableBytes: 1024 * 1024 * 1024,
      onLostSnapshot: 'fail',
      tableIndexBuilds: (table) => (table === BIG ? builds : []),
      tablePostData: async (table, client) => {
        if (table !== BIG) return;
        // The rest of post-data sees every build committed.
        const { rows: seen } = await client.query(
          "SELECT indexname FROM pg_indexes WHERE indexname IN ('big_a', 'big_b', 'big_c') ORDER BY 1",
        );
        finishedAfter.push(...seen.map((r) => r.indexname as string));
      },
    });
    expect(finishedAfter).toEqual(['big_a', 'big_b', 'big_c']);
    const [marks] = await rows(
      pg17,
      'par_builds',
      'SELECT count(*)::text AS n FROM pgshift.copy_tables WHERE post_data_at IS NOT NULL',
    );
    expect(marks?.n).toBe('4');
  });

  it('a build that fails stops the table before its done mark; the rerun builds again over what exists', async () => {
    await target('par_build_fail');
    const base = {
      openSource: opener(pg17, 'par_src'),
      openTarget: opener(pg17, 'par_build_fail'),
      database: 'par_src',
      jobs: 2,
      splitTableBytes: 1024 * 1024 * 1024,
      onLostSnapshot: 'fail' as const,
      tablePostData: async () => {},
    };
    const first = async (client: pg.Client) => {
      await client.query('CREATE INDEX IF NOT EXISTS big_first ON public.big (payload)');
    };
    const failing = async () => {
      throw new Error('disk full (simulated)');
    };
    const error = await copyDatabase({
      ...base,
      tableIndexBuilds: (table) => (table === BIG ? [first, failing] : []),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PGSHIFT_POST_DATA_FAILED',
      message: expect.stringContaining(`building indexes and constraints of ${BIG} failed: disk full`),
    });
    const done = await rows(
      pg17,
      'par_build_fail',
      'SELECT table_key FROM pgshift.copy_tables WHERE post_data_at IS NOT NULL',
    );
    expect(done.map((r) => r.table_key)).not.toContain(BIG);

    await copyDatabase({ ...base, tableIndexBuilds: (table) => (table === BIG ? [first, first] : []) });
    const [marked] = await rows(
      pg17,
      'par_build_fail',
      'SELECT count(*)::text AS n FROM pgshift.copy_tables WHERE post_data_at IS NOT NULL',
    );
    expect(marked?.n).toBe('4');
  });

  it('a target that rejects rows mid-stream fails cleanly with the table named; after the fix a rerun completes', async () => {
    await target('par_reject');
    await run(pg17, 'par_reject', 'ALTER TABLE big ADD CONSTRAINT below CHECK (id < 15000)');
    const snapshot = await exportSnapshot(opener(pg17, 'par_src'));
    try {
      const base = {
        openSource: opener(pg17, 'par_src'),
        openTarget: opener(pg17, 'par_reject'),
        database: 'par_src',
        snapshot: snapshot.name,
        jobs: 1,
        splitTableBytes: 1 << 30,
        onLostSnapshot: 'fail' as const,
      };
      const error = await copyDatabase(base).catch((e: unknown) => e);
      expect(isPgshiftError(error) && error.code).toBe('PGSHIFT_COPY_FAILED');
      expect((error as Error).message).toMatch(/"public"."big".*below/);
      const [partial] = await rows(pg17, 'par_reject', 'SELECT count(*)::text AS n FROM big');
      expect(partial?.n).toBe('0');
      await run(pg17, 'par_reject', 'ALTER TABLE big DROP CONSTRAINT below');
      await copyDatabase(base);
      expect(await content(pg17, 'par_reject')).toEqual(await content(pg17, 'par_src'));
    } finally {
      await snapshot.release();
    }
  });

  it('a source session lost during the copy rolls its chunk back on the target; a rerun completes', async () => {
    await target('par_srcfail');
    const snapshot = await exportSnapshot(opener(pg17, 'par_src'));
    try {
      const base = {
        openSource: () => openClient(pg17.connection('par_src'), 'copy-worker'),
        openTarget: opener(pg17, 'par_srcfail'),
        database: 'par_src',
        snapshot: snapshot.name,
        jobs: 1,
        splitTableBytes: 256 * 1024,
        onLostSnapshot: 'fail' as const,
      };
      let killed = false;
      const error = await copyDatabase({
        ...base,
        hooks: {
          // After the first chunk, the worker's source session dies: the next chunk's COPY fails
          // while the target's COPY FROM is open.
          chunkCommitted: async () => {
            if (killed) return;
            killed = true;
            await pg17.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'copy-worker'`,
            );
          },
        },
      }).catch((e: unknown) => e);
      expect(isPgshiftError(error) && error.code).toBe('PGSHIFT_COPY_FAILED');
      const [partial] = await rows(
        pg17,
        'par_srcfail',
        `SELECT (SELECT count(*) FROM big)::text AS n,
                (SELECT sum(rows)::text FROM pgshift.copy_progress WHERE done_at IS NOT NULL) AS marked`,
      );
      expect(Number(partial?.n)).toBeGreaterThan(0);
      expect(partial?.n).toBe(partial?.marked); // only the committed chunk's rows
      await copyDatabase(base);
      expect(await content(pg17, 'par_srcfail')).toEqual(await content(pg17, 'par_src'));
    } finally {
      await snapshot.release();
    }
  });

  it('10: a lost snapshot with per-table continues a key-split table where it stopped', async () => {
    await target('par_keys');
    let seen = 0;
    const base = {
      openSource: opener(pg10, 'par_src'),
      openTarget: opener(pg17, 'par_keys'),
      database: 'par_src',
      splitTableBytes: 256 * 1024,
    };
    await expect(
      copyDatabase({
        ...base,
        jobs: 1,
        onLostSnapshot: 'fail',
        hooks: {
          chunkCopied: (c) => {
            if (c.table === BIG && ++seen === 3) throw new Error('stopped by the test');
          },
        },
      }),
    ).rejects.toThrow(/stopped by the test/);
    const [before] = await rows(
      pg17,
      'par_keys',
      `SELECT count(*) FILTER (WHERE done_at IS NOT NULL)::text AS done,
              count(*) FILTER (WHERE done_at IS NOT NULL AND table_key = '${BIG}')::text AS big_done
         FROM pgshift.copy_progress`,
    );
    expect(before?.big_done).toBe('2'); // partly copied
    const result = await copyDatabase({ ...base, jobs: 2, onLostSnapshot: 'per-table' });
    // Key ranges hold each row in exactly one chunk whatever the snapshot: the two done chunks stay.
    expect(result).toMatchObject({ consistent: false, chunksSkipped: Number(before?.done) });
    expect(await content(pg17, 'par_keys')).toEqual(await content(pg10, 'par_src'));
  });

  it('takes leaf partitions for a selected partitioned table and leaves views and matviews out', async () => {
    await run(
      pg10,
      'par_src',
      `CREATE TABLE p (id int, v text) PARTITION BY LIST (id);
       CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);
       CREATE TABLE p_2 PARTITION OF p FOR VALUES IN (2) PARTITION BY LIST (v);
       CREATE TABLE p_2a PARTITION OF p_2 FOR VALUES IN ('a');
       CREATE VIEW v AS SELECT 1;
       CREATE MATERIALIZED VIEW m AS SELECT 1;`,
    );
    const client = await opener(pg10, 'par_src')();
    try {
      const selected = await readTableInventory(client, [
        { schema: 'public', name: 'p' },
        { schema: 'public', name: 'small' },
      ]);
      expect(selected.map((t) => t.key)).toEqual(['"public"."p_1"', '"public"."p_2a"', '"public"."small"']);
      expect(selected.find((t) => t.name === 'p_1')?.partition).toBe(true);
      const all = (await readTableInventory(client)).map((t) => t.name);
      expect(all).toEqual(['big', 'keyless', 'nocols', 'p_1', 'p_2a', 'small']);
      expect((await readTableInventory(client)).find((t) => t.name === 'small')?.keyColumns).toEqual(['id']);
    } finally {
      await client.end();
      await run(pg10, 'par_src', 'DROP TABLE p; DROP VIEW v; DROP MATERIALIZED VIEW m');
    }
  });
});
