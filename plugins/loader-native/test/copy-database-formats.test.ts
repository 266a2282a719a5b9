import { binaryCopyable, fixedSettingsSql, openClient, readTableInventory } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../src/index.js';
import { freshDatabase, opener, rows, run } from './copy-fixtures.js';

describe('copyDatabase: COPY FREEZE, binary format and the closing synchronous commit (PostgreSQL 17)', () => {
  let pg: SandboxServer;
  beforeAll(async () => {
    pg = await startPostgres({ major: 17 });
    await freshDatabase(pg, 'fwd_src');
    await freshDatabase(pg, 'fwd_dst');
    await run(pg, 'fwd_dst', 'CREATE TABLE t (n int, s text)');
    await run(
      pg,
      'fwd_src',
      `CREATE TABLE solo (id int PRIMARY KEY, s text);
       CREATE TABLE parent (id int PRIMARY KEY);
       INSERT INTO solo SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 3000) g;
       INSERT INTO parent SELECT generate_series(1, 3000);`,
    );
  });
  afterAll(async () => {
    await pg?.stop();
  });

  async function frozenPages(db: string, table: string): Promise<{ frozen: string; pages: string }> {
    await run(pg, db, 'CREATE EXTENSION IF NOT EXISTS pg_visibility');
    const [r] = await rows<{ frozen: string; pages: string }>(
      pg,
      db,
      `SELECT count(*) FILTER (WHERE all_frozen)::text AS frozen, count(*)::text AS pages
         FROM pg_visibility_map('${table}')`,
    );
    return r as { frozen: string; pages: string };
  }

  it('a table copied whole is written frozen; one that cannot be emptied is copied without FREEZE', async () => {
    await freshDatabase(pg, 'frz_dst');
    // `parent` is referenced by a foreign key on the target, so TRUNCATE is refused there.
    await run(
      pg,
      'frz_dst',
      `CREATE TABLE solo (id int, s text);
       CREATE TABLE parent (id int PRIMARY KEY);
       CREATE TABLE child (p int REFERENCES parent);`,
    );
    const result = await copyDatabase({
      openSource: opener(pg, 'fwd_src'),
      openTarget: opener(pg, 'frz_dst'),
      database: 'fwd_src',
      tables: [
        { schema: 'public', name: 'solo' },
        { schema: 'public', name: 'parent' },
      ],
      jobs: 2,
      splitTableBytes: 1024 ** 3,
      onLostSnapshot: 'fail',
    });
    expect(result.rows).toBe(6000);
    // COPY FREEZE marks the pages it fills from empty all-frozen (not each page a batch continues).
    const solo = await frozenPages('frz_dst', 'solo');
    expect(Number(solo.frozen)).toBeGreaterThan(Number(solo.pages) / 3);
    expect((await frozenPages('frz_dst', 'parent')).frozen).toBe('0');
    const [r] = await rows(
      pg,
      'frz_dst',
      `SELECT (SELECT count(*) FROM solo)::text AS solo, (SELECT count(DISTINCT id) FROM solo)::text AS d,
              (SELECT count(*) FROM parent)::text AS parent`,
    );
    expect(r).toEqual({ solo: '3000', d: '3000', parent: '3000' });
  });

  const BUILTIN = `
    CREATE TABLE ref_me (id int);
    CREATE TABLE builtin (
      id int PRIMARY KEY, n numeric, n2 numeric(12,2), f8 float8, f4 float4, d date, ts timestamp(3),
      tstz timestamptz, iv interval, arr int[], tarr text[], b bytea, j json, jb jsonb, t text,
      vc varchar(5), c char(3), pt point, u uuid, ip inet, bits varbit, tv tsvector, m money, o oid);
    CREATE TABLE with_reg (id int, rc regclass, rt regtype);`;

  it('tables of built-in types only go in binary format between servers of one major, exactly', async () => {
    await freshDatabase(pg, 'bin_src');
    await freshDatabase(pg, 'bin_dst');
    // The target's ref_me gets an oid of its own: a regclass copied as an oid would point elsewhere.
    await run(pg, 'bin_dst', 'CREATE TABLE filler (id int); CREATE TABLE filler2 (id int);');
    await run(pg, 'bin_dst', BUILTIN);
    await run(
      pg,
      'bin_src',
      `${BUILTIN}
       INSERT INTO builtin VALUES
         (1, 'NaN', 1234567890.12, 'NaN', '-Infinity', 'infinity', '-infinity', '2000-01-01 00:00:00.5+05:30',
          '1 year 2 mons -3 days 04:05:06.789', '{{1,NULL},{3,4}}', '{"a\\"b","c,d",NULL,"NULL",""}',
          '\\x000102ff00', '{"n": 12345678901234567890123456789.123456789, "a":1,  "a":2}',
          '{"n": 12345678901234567890123456789.123456789}', E'tab\\there\\nnew line\\\\ ☃ 𝄞',
          'abc', 'ab', point(0.1, -1e-300), '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b', '10.1.2.3/8', B'10110',
          'a fat:1 cat', '12.34', 4294967295),
         (2, '-0.000', -0.5, '-0', 1e-40, '0044-03-15 BC', '294276-12-31 23:59:59.999', '-infinity',
          '-178000000 years', '{{{1}},{{2}}}', '{}', '\\x', '[]', '{}', repeat('é', 2000000),
          '', '', NULL, NULL, '::1', B'', '', '-0.01', 0),
         (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
       INSERT INTO builtin (id, n, f8, t) SELECT g, g::numeric / 7, g / 7.0, md5(g::text) FROM generate_series(4, 2000) g;
       INSERT INTO with_reg VALUES (1, 'ref_me', 'builtin'), (2, NULL, 'int4[]');`,
    );
    const source = await openClient({ ...pg.connection('bin_src') });
    try {
      const inventory = await readTableInventory(source);
      const byName = new Map(inventory.map((t) => [t.name, t]));
      expect(binaryCopyable(byName.get('builtin') as never, true)).toBe(true);
      expect(binaryCopyable(byName.get('builtin') as never, false)).toBe(false);
      expect(binaryCopyable(byName.get('with_reg') as never, true)).toBe(false);
    } finally {
      await source.end();
    }
    await copyDatabase({
      openSource: opener(pg, 'bin_src'),
      openTarget: opener(pg, 'bin_dst'),
      database: 'bin_src',
      tables: [
        { schema: 'public', name: 'builtin' },
        { schema: 'public', name: 'with_reg' },
      ],
      jobs: 2,
      splitTableBytes: 1024 ** 3,
      onLostSnapshot: 'fail',
    });
    const digest = `${fixedSettingsSql()};
      SELECT (SELECT md5(string_agg(b::text, E'\\n' ORDER BY id)) FROM builtin b) AS builtin,
             (SELECT count(*) FROM builtin)::text AS n,
             (SELECT string_agg(w::text, ';' ORDER BY id) FROM with_reg w) AS reg`;
    const [before] = await rows(pg, 'bin_src', digest);
    const [after] = await rows(pg, 'bin_dst', digest);
    expect(after).toEqual(before);
    expect(after?.n).toBe('2000');
    expect(after?.reg).toBe('(1,ref_me,builtin);(2,,integer[])');
  });

  it('ends with a synchronous commit after the asynchronous ones, so what it reports done is durable', async () => {
    await freshDatabase(pg, 'flush_dst');
    await run(pg, 'flush_dst', 'CREATE TABLE solo (id int, s text); CREATE TABLE parent (id int)');
    // Every statement sent to the target, in order, with the session that sent it.
    const sent: { session: number; sql: string }[] = [];
    let sessions = 0;
    const openTarget = async () => {
      const client = await openClient({ ...pg.connection('flush_dst') });
      const session = ++sessions;
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
        if (typeof args[0] === 'string') sent.push({ session, sql: args[0] });
        return query(...args);
      };
      return client;
    };
    await copyDatabase({
      openSource: opener(pg, 'fwd_src'),
      openTarget,
      database: 'fwd_src',
      tables: [
        { schema: 'public', name: 'solo' },
        { schema: 'public', name: 'parent' },
      ],
      jobs: 2,
      splitTableBytes: 1024 ** 3,
      onLostSnapshot: 'fail',
    });
    const asyncSessions = new Set(
      sent.filter((s) => s.sql === 'SET synchronous_commit = off').map((s) => s.session),
    );
    expect(asyncSessions.size).toBeGreaterThan(0);
    const lastAsyncCommit = sent.findLastIndex((s) => asyncSessions.has(s.session) && s.sql === 'COMMIT');
    const syncOn = sent.findLastIndex((s) => s.sql === 'SET LOCAL synchronous_commit = on');
    expect(lastAsyncCommit).toBeGreaterThan(0);
    expect(syncOn).toBeGreaterThan(lastAsyncCommit);
    const barrier = sent
      .filter((s, i) => i > syncOn && s.session === sent[syncOn]?.session)
      .map((s) => s.sql);
    expect(barrier[0]).toMatch(/^UPDATE pgshift\.copy_state/);
    expect(barrier[1]).toBe('COMMIT');
    expect(asyncSessions.has(sent[syncOn]?.session as number)).toBe(false);
  });
});
