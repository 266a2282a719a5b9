import type { DecoderFormat } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentWalLsn, exec, fingerprint, readyToFollow, sleep } from './helpers.js';

let source: SandboxServer;
let target: SandboxServer;

beforeAll(async () => {
  [source, target] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 17 })]);
});

afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
});

/** The servers, database and slot of one test; `tables` absent selects the whole database. */
function spec(
  database: string,
  format: DecoderFormat,
  ddl: string,
  tables?: { schema: string; name: string }[],
) {
  return {
    source: source.connection(),
    target: target.connection(),
    database,
    format,
    slotName: `s_${database}`,
    sourceMajor: 17,
    ddl,
    options: { groupMaxMs: 50 },
    ...(tables ? { tables } : {}),
  };
}

const T = { schema: 'public', name: 't' };

/**
 * The documented way to change a followed table (docs/incremental-sync.md): the same ALTER on the
 * target first, then on the source, while pgshift keeps following.
 */
async function addColumnWhileFollowing(format: DecoderFormat, database: string): Promise<void> {
  const { src, dst } = { src: source.connection(), dst: target.connection() };
  const { ctx, replicator } = await readyToFollow(
    spec(database, format, 'CREATE TABLE t (id int PRIMARY KEY, v text)', [T]),
  );
  let drainTo: string | undefined;
  const following = replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });
  following.catch(() => {});
  await exec(src, database, "INSERT INTO t SELECT g, 'before ' || g FROM generate_series(1, 100) g");
  // Let the follower see the table as it was, so the new column meets a known table.
  for (let i = 0; i < 100; i++) {
    const [row] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM t', [], database);
    if (row?.n === 100) break;
    await sleep(50);
  }
  await exec(dst, database, 'ALTER TABLE t ADD COLUMN extra text');
  await exec(src, database, 'ALTER TABLE t ADD COLUMN extra text');
  await exec(
    src,
    database,
    "INSERT INTO t SELECT g, 'after ' || g, 'x' || g FROM generate_series(101, 200) g",
  );
  await exec(src, database, "UPDATE t SET extra = 'set ' || id WHERE id % 3 = 0");
  drainTo = await currentWalLsn(src, database);
  await following;
  expect(await fingerprint(dst, database, T)).toBe(await fingerprint(src, database, T));
  await replicator.cleanup(ctx);
}

describe('a column added while following (target first, then source)', () => {
  it('pgoutput: keeps following, and the new column arrives', async () => {
    await addColumnWhileFollowing('pgoutput', 'ddl_pgoutput');
  });

  it('test_decoding: keeps following, and the new column arrives', async () => {
    await addColumnWhileFollowing('test_decoding', 'ddl_test_decoding');
  });
});

describe('a column added on the source only', () => {
  it('stops following with the column named and nothing of its transaction applied; once the target has it, a new run ends identical', async () => {
    const database = 'ddl_source_only';
    const { src, dst } = { src: source.connection(), dst: target.connection() };
    const { ctx, replicator } = await readyToFollow(
      spec(database, 'pgoutput', 'CREATE TABLE t (id int PRIMARY KEY, v text)', [T]),
    );
    await exec(src, database, "INSERT INTO t VALUES (1, 'one')");
    await exec(src, database, 'ALTER TABLE t ADD COLUMN extra text');
    await exec(src, database, "INSERT INTO t VALUES (2, 'two', 'x'); UPDATE t SET v = 'uno' WHERE id = 1");
    const drainTo = await currentWalLsn(src, database);
    const follow = () =>
      replicator.follow(ctx, { signal: new AbortController().signal, drainTo: () => drainTo });

    await expect(follow()).rejects.toMatchObject({
      code: 'PGSHIFT_REPL_TABLE_MISSING',
      message: expect.stringContaining('column "extra" of "public"."t" does not exist on the target'),
      remedy: expect.stringContaining('make the target table match the source'),
    });
    // Nothing of the transaction with the new column is in, not even its update of row 1 (the row
    // inserted before the ALTER may be in, or may have shared the rolled-back group).
    expect(await target.query("SELECT id FROM t WHERE id = 2 OR v = 'uno'", [], database)).toEqual([]);

    await exec(dst, database, 'ALTER TABLE t ADD COLUMN extra text');
    await follow();
    expect(await fingerprint(dst, database, T)).toBe(await fingerprint(src, database, T));
    await replicator.cleanup(ctx);
  });
});

describe('a table created while following a whole database (target first, then source)', () => {
  for (const format of ['pgoutput', 'test_decoding'] as const)
    it(`${format}: its rows are followed from then on`, async () => {
      const database = `ddl_new_table_${format}`;
      const { src, dst } = { src: source.connection(), dst: target.connection() };
      const { ctx, replicator } = await readyToFollow(
        spec(database, format, 'CREATE TABLE old (id int PRIMARY KEY)'),
      );
      let drainTo: string | undefined;
      const following = replicator.follow(ctx, {
        signal: new AbortController().signal,
        drainTo: () => drainTo,
      });
      following.catch(() => {});
      await exec(src, database, 'INSERT INTO old SELECT generate_series(1, 10)');
      const ddl = 'CREATE TABLE fresh (id int PRIMARY KEY, v text)';
      await exec(dst, database, ddl);
      await exec(src, database, ddl);
      await exec(src, database, "INSERT INTO fresh SELECT g, 'v' || g FROM generate_series(1, 50) g");
      await exec(
        src,
        database,
        "UPDATE fresh SET v = 'changed' WHERE id <= 5; DELETE FROM fresh WHERE id > 45",
      );
      drainTo = await currentWalLsn(src, database);
      await following;
      for (const name of ['old', 'fresh']) {
        const table = { schema: 'public', name };
        expect(await fingerprint(dst, database, table), name).toBe(await fingerprint(src, database, table));
      }
      await replicator.cleanup(ctx);
    });
});
