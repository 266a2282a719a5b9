import type { DdlPolicy, DecoderFormat } from '@pgshift/plugin-api';
import { type SandboxServer, sourceBuiltBinaries, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicationError } from '../src/errors.js';
import { currentWalLsn, exec, fingerprint, readyToFollow } from './helpers.js';

/**
 * Schema changes on the source while following (issue 19): captured by event triggers in their own
 * transaction, applied on the target at their place among the rows, under a concurrent writer.
 * Compared after: every table's rows, and the target's definitions against the source's.
 */
const old = sourceBuiltBinaries(9.5);
const oldest = sourceBuiltBinaries(9.4);

let target: SandboxServer;
const sources = new Map<number, SandboxServer>();
beforeAll(async () => {
  const majors = [17, ...(old.missing ? [] : [9.5]), ...(oldest.missing ? [] : [9.4])];
  const started = await Promise.all([
    startPostgres({ major: 17 }),
    ...majors.map((major) => startPostgres({ major })),
  ]);
  target = started[0]!;
  for (const [i, major] of majors.entries()) sources.set(major, started[i + 1]!);
});
afterAll(async () => {
  await Promise.all([target?.stop(), ...[...sources.values()].map((s) => s.stop())]);
});

const SETUP = `CREATE TYPE mood AS ENUM ('calm', 'glad');
  CREATE TABLE t (id int PRIMARY KEY, v text, made timestamptz DEFAULT now());`;

/** Writes rows into t as fast as it can until stopped: the concurrent writer. */
function writer(source: SandboxServer, database: string) {
  let stop = false;
  let next = 1;
  const done = (async () => {
    while (!stop) {
      const from = next;
      next += 20;
      await source.query(
        `INSERT INTO t (id) SELECT g FROM generate_series(${from}, ${next - 1}) g`,
        [],
        database,
      );
    }
  })();
  return {
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

/** Each schema change the issue names, with rows that depend on it right after. */
function changes(major: number): string[] {
  return [
    'ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 7',
    'UPDATE t SET n = id % 5 WHERE id % 2 = 0',
    'ALTER TABLE t RENAME COLUMN v TO w',
    "UPDATE t SET w = 'renamed ' || id WHERE id % 3 = 0",
    'ALTER TABLE t ALTER COLUMN n TYPE bigint',
    'UPDATE t SET n = n + 10000000000 WHERE id % 7 = 0',
    'ALTER TABLE t DROP COLUMN made',
    // A multi-statement query string: the table, its rows, and an index, each at its place.
    `CREATE TABLE child (id int PRIMARY KEY, t_id int REFERENCES t (id), note text);
     INSERT INTO child SELECT g, g, 'note ' || g FROM generate_series(1, 40) g;
     CREATE INDEX child_t ON child (t_id)`,
    'CREATE INDEX CONCURRENTLY child_note ON child (note)',
    'CREATE VIEW child_notes AS SELECT c.id, c.note, t.n FROM child c JOIN t ON t.id = c.t_id',
    "ALTER TYPE mood ADD VALUE 'wary'",
    'CREATE TABLE feelings (id int PRIMARY KEY, m mood NOT NULL)',
    "INSERT INTO feelings VALUES (1, 'wary'), (2, 'calm')",
    'CREATE SEQUENCE tickets START 100',
    "CREATE TABLE ticket (id bigint PRIMARY KEY DEFAULT nextval('tickets'), what text)",
    "INSERT INTO ticket (what) SELECT 'ticket ' || g FROM generate_series(1, 5) g",
    // A schema change and rows in one transaction, as migration frameworks send them.
    "BEGIN; ALTER TABLE t ADD COLUMN flag text; UPDATE t SET flag = 'x' WHERE id % 4 = 0; COMMIT",
    // 9.4's event triggers do not fire for COMMENT (nor GRANT): there it is not followed.
    ...(major > 9.4 ? ["COMMENT ON TABLE child IS 'children of t'"] : []),
    // Temporary objects stay on the source.
    'CREATE TEMP TABLE scratch (x int); INSERT INTO scratch VALUES (1); DROP TABLE scratch',
    'ALTER TABLE child ALTER COLUMN note SET NOT NULL',
  ];
}

/** The definitions a schema compare looks at: columns with types, defaults and nullability, indexes, views, enum labels. */
async function definitions(server: SandboxServer, database: string): Promise<string[]> {
  const rows = await server.query<{ d: string }>(
    `SELECT format('%s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default) AS d
       FROM information_schema.columns WHERE table_schema = 'public'
     -- 9.5 prints the table unqualified, later majors qualify it.
     UNION ALL SELECT replace(indexdef, ' ON public.', ' ON ') FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL SELECT 'view ' || viewname FROM pg_views WHERE schemaname = 'public'
     UNION ALL SELECT 'enum ' || string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum
     UNION ALL SELECT 'comment ' || coalesce(obj_description('public.child'::regclass, 'pg_class'), '')
     ORDER BY 1`,
    [],
    database,
  );
  return rows.map((r) => r.d);
}

async function follow(
  major: number,
  format: DecoderFormat,
  database: string,
  policy: DdlPolicy,
  applySessions = 1,
) {
  const source = sources.get(major)!;
  const { ctx, replicator } = await readyToFollow({
    source: source.connection(),
    target: target.connection(),
    database,
    format,
    slotName: `s_${database}`,
    sourceMajor: major,
    ddl: SETUP,
    options: { groupMaxMs: 50, applySessions },
    ddlHandling: { policy },
  });
  let drainTo: string | undefined;
  const following = replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });
  following.catch(() => {});
  return {
    ctx,
    replicator,
    following,
    drain: async () => {
      drainTo = await currentWalLsn(source.connection(), database);
      await following;
    },
  };
}

const CASES: { major: number; format: DecoderFormat; applySessions?: number }[] = [
  { major: 17, format: 'pgoutput' },
  // Parallel apply: each schema change applied alone, after every session committed.
  { major: 17, format: 'pgoutput', applySessions: 3 },
  { major: 17, format: 'test_decoding' },
  { major: 9.5, format: 'test_decoding' },
  // 9.4 records the text only: a whole database follows every change all the same.
  { major: 9.4, format: 'test_decoding' },
];

describe('ddl: replicate', () => {
  for (const { major, format, applySessions } of CASES) {
    const missing = major === 9.5 ? old.missing : major === 9.4 ? oldest.missing : undefined;
    const sessions = applySessions ? `, applySessions ${applySessions}` : '';
    it.skipIf(missing !== undefined)(
      `source ${major} (${format}${sessions}): every schema change is on the target in order with the rows${missing ? ` (skipped: ${missing})` : ''}`,
      async () => {
        const source = sources.get(major)!;
        const database = `ddl_${String(major).replace('.', '')}_${format}${applySessions ? `_${applySessions}` : ''}`;
        const run = await follow(major, format, database, 'replicate', applySessions);
        const load = writer(source, database);
        try {
          for (const sql of changes(major)) await exec(source.connection(), database, sql);
        } finally {
          await load.stop();
        }
        await run.drain();
        for (const table of ['t', 'child', 'feelings', 'ticket'])
          expect(
            await fingerprint(target.connection(), database, { schema: 'public', name: table }),
            table,
          ).toBe(await fingerprint(source.connection(), database, { schema: 'public', name: table }));
        expect(await definitions(target, database)).toEqual(await definitions(source, database));
        const history = await target.query<{ outcome: string; n: number }>(
          "SELECT split_part(outcome, ' (', 1) AS outcome, count(*)::int AS n FROM pgshift.ddl_history GROUP BY 1 ORDER BY 1",
          [],
          database,
        );
        // Every statement above that changes the schema, none of the temporary ones.
        // 9.4 cannot tell the temporary table's DROP apart: it finds it gone on the target.
        const temporaryDrop = major === 9.4 ? [{ outcome: 'already on the target', n: 1 }] : [];
        expect(history).toEqual([...temporaryDrop, { outcome: 'applied', n: major > 9.4 ? 15 : 14 }]);
        await run.replicator.cleanup(run.ctx);
        const [left] = await source.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_event_trigger WHERE evtname LIKE 'pgshift%'",
          [],
          database,
        );
        expect(left?.n).toBe(0);
      },
    );
  }
});

describe('ddl: stop', () => {
  it('stops before the statement, naming it; applied by hand and resumed, the result is exact', async () => {
    const source = sources.get(17)!;
    const database = 'ddl_stop';
    const run = await follow(17, 'pgoutput', database, 'stop');
    await exec(source.connection(), database, "INSERT INTO t (id, v) VALUES (1, 'one')");
    await exec(source.connection(), database, 'ALTER TABLE t ADD COLUMN extra text');
    await exec(source.connection(), database, "INSERT INTO t (id, v, extra) VALUES (2, 'two', 'more')");
    const stopped = await run.following.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(stopped).toBeInstanceOf(ReplicationError);
    const error = stopped as ReplicationError;
    expect(error.code).toBe('PGSHIFT_REPL_DDL_STOPPED');
    expect(error.message).toContain('ALTER TABLE t ADD COLUMN extra text');
    const name = String(error.details?.ddl);
    expect(error.remedy).toContain(`--ddl-applied ${name}`);
    // Nothing from the stopping transaction on: row 1 is in, row 2 is not.
    expect(await target.query('SELECT id FROM t ORDER BY id', [], database)).toEqual([{ id: 1 }]);

    await exec(target.connection(), database, 'ALTER TABLE t ADD COLUMN extra text');
    const resumed = { ...run.ctx, ddl: { policy: 'stop' as const, appliedByHand: [name] } };
    let drainTo: string | undefined;
    const following = run.replicator.follow(resumed, {
      signal: new AbortController().signal,
      drainTo: () => drainTo,
    });
    await exec(source.connection(), database, "INSERT INTO t (id, v, extra) VALUES (3, 'three', 'most')");
    drainTo = await currentWalLsn(source.connection(), database);
    await following;
    const T = { schema: 'public', name: 't' };
    expect(await fingerprint(target.connection(), database, T)).toBe(
      await fingerprint(source.connection(), database, T),
    );
    const history = await target.query('SELECT outcome FROM pgshift.ddl_history', [], database);
    expect(history).toEqual([{ outcome: 'applied by hand' }]);
    await run.replicator.cleanup(resumed);
  });
});

describe('ddl: stop where schema changes cannot be captured', () => {
  it('pgoutput: stops at the first change to a table that no longer matches the target; fixed and rerun, exact', async () => {
    const source = sources.get(17)!;
    const database = 'ddl_stop_uncaptured';
    // Prepared without capture, as for a source role that may not create event triggers.
    const { ctx: prepared, replicator } = await readyToFollow({
      source: source.connection(),
      target: target.connection(),
      database,
      format: 'pgoutput',
      slotName: `s_${database}`,
      sourceMajor: 17,
      ddl: SETUP,
      options: { groupMaxMs: 50 },
    });
    const ctx = { ...prepared, ddl: { policy: 'stop' as const } };
    const following = replicator.follow(ctx, { signal: new AbortController().signal });
    await exec(source.connection(), database, "INSERT INTO t (id, v) VALUES (1, 'one')");
    await exec(source.connection(), database, 'ALTER TABLE t ADD COLUMN extra text');
    await exec(source.connection(), database, "INSERT INTO t (id, v, extra) VALUES (2, 'two', 'more')");
    const stopped = await following.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((stopped as ReplicationError).code, String(stopped)).toBe('PGSHIFT_REPL_DDL_STOPPED');
    expect((stopped as ReplicationError).message).toContain('columns the target lacks: extra');
    expect(await target.query('SELECT id FROM t ORDER BY id', [], database)).toEqual([{ id: 1 }]);

    await exec(target.connection(), database, 'ALTER TABLE t ADD COLUMN extra text');
    let drainTo: string | undefined;
    const again = replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });
    drainTo = await currentWalLsn(source.connection(), database);
    await again;
    const T = { schema: 'public', name: 't' };
    expect(await fingerprint(target.connection(), database, T)).toBe(
      await fingerprint(source.connection(), database, T),
    );
    await replicator.cleanup(ctx);
  });
});

describe('new tables in a selection by patterns', () => {
  for (const format of ['pgoutput', 'test_decoding'] as const) {
    it(`${format}: a new table the patterns select is followed from its first row; one they do not is left out`, async () => {
      const source = sources.get(17)!;
      const database = `ddl_new_${format}`;
      const { ctx, replicator } = await readyToFollow({
        source: source.connection(),
        target: target.connection(),
        database,
        format,
        slotName: `s_${database}`,
        sourceMajor: 17,
        ddl: `${SETUP} CREATE TABLE other_old (id int PRIMARY KEY);`,
        options: { groupMaxMs: 50 },
        tables: [{ schema: 'public', name: 't' }],
        patterns: { include: [{ schema: '^public$', table: '^(t|new_.*)$' }], exclude: [] },
        ddlHandling: { policy: 'replicate' },
      });
      let drainTo: string | undefined;
      const following = replicator.follow(ctx, {
        signal: new AbortController().signal,
        drainTo: () => drainTo,
      });
      following.catch(() => {});
      const src = source.connection();
      // Created and filled in one transaction: its rows come before pgshift could act but after
      // the event trigger added the table to the publication, in the same transaction.
      await exec(
        src,
        database,
        `BEGIN; CREATE TABLE new_a (id int PRIMARY KEY, v text);
         INSERT INTO new_a SELECT g, 'a' || g FROM generate_series(1, 50) g; COMMIT`,
      );
      await exec(
        src,
        database,
        "INSERT INTO new_a VALUES (51, 'later'); UPDATE new_a SET v = 'u' WHERE id = 1",
      );
      await exec(
        src,
        database,
        'CREATE TABLE other_new (id int PRIMARY KEY); INSERT INTO other_new VALUES (1)',
      );
      await exec(src, database, 'INSERT INTO other_old VALUES (1); ALTER TABLE other_old ADD COLUMN x int');
      await exec(src, database, "INSERT INTO t (id, v) VALUES (1, 'still followed')");
      drainTo = await currentWalLsn(src, database);
      await following;
      const A = { schema: 'public', name: 'new_a' };
      expect(await fingerprint(target.connection(), database, A)).toBe(await fingerprint(src, database, A));
      const T = { schema: 'public', name: 't' };
      expect(await fingerprint(target.connection(), database, T)).toBe(await fingerprint(src, database, T));
      const outside = await target.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'other_new'",
        [],
        database,
      );
      expect(outside).toEqual([{ n: 0 }]);
      const history = await target.query<{ outcome: string }>(
        'SELECT outcome FROM pgshift.ddl_history ORDER BY source_id',
        [],
        database,
      );
      expect(history.map((h) => h.outcome)).toEqual(['applied', 'outside selection', 'outside selection']);
      // The new table is guarded against writes on the target like the others.
      const guarded = await target.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'pgshift_guard' AND tgrelid = 'new_a'::regclass",
        [],
        database,
      );
      expect(guarded).toEqual([{ n: 1 }]);
      await replicator.cleanup(ctx);
    });
  }
});

describe('temporary objects', () => {
  it('a session creating and dropping temporary tables writes nothing to the capture log', async () => {
    const source = sources.get(17)!;
    const database = 'ddl_temporary';
    const { ctx, replicator } = await readyToFollow({
      source: source.connection(),
      target: target.connection(),
      database,
      format: 'pgoutput',
      slotName: `s_${database}`,
      sourceMajor: 17,
      ddl: SETUP,
      ddlHandling: { policy: 'replicate' },
    });
    const session = await source.client(database);
    try {
      for (let i = 0; i < 3; i++) {
        await session.query('CREATE TEMP TABLE scratch (x int)');
        await session.query('ALTER TABLE scratch ADD COLUMN y int');
        await session.query('DROP TABLE scratch');
      }
      const [log] = await source.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pgshift.ddl_log',
        [],
        database,
      );
      expect(log?.n).toBe(0);
      // A real change in the same session is still captured.
      await session.query('ALTER TABLE t ADD COLUMN extra text');
      const kinds = await source.query<{ kind: string }>('SELECT kind FROM pgshift.ddl_log', [], database);
      expect(kinds).toEqual([{ kind: 'end' }]);
    } finally {
      await session.end();
    }
    await replicator.cleanup(ctx);
  });
});
