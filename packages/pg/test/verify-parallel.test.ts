import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVerifyReport, verifyDatabase } from '../src/index.js';
import { closeSidePool, openSidePool } from '../src/verify/session-pool.js';
import { freshDatabase, opener, run } from './copy-fixtures.js';

// The same rows written on two majors: floats, timestamps in a zone, intervals, text that sorts
// differently under a language collation, bytea, json, arrays.
const TABLES = `
  CREATE TABLE things (id int PRIMARY KEY, label text, f8 float8, f4 float4, amount numeric(12, 3),
                       at timestamptz, day date, span interval, raw bytea, doc json, tags text[]);
  CREATE TABLE tagged (tag text PRIMARY KEY, n int);
  CREATE TABLE keyless (n int, t text);`;
const ROWS = `
  SET TimeZone = 'Asia/Kolkata';
  INSERT INTO things SELECT g, 'thing é ' || g, g / 7.0, g / 3.0, g * 1.125,
         timestamptz '2026-03-29 01:30:00+01' + g * interval '17 minutes', date '2000-02-28' + g,
         g * interval '1 day 3 hours', decode(md5(g::text), 'hex'), ('{"g": ' || g || '}')::json,
         ARRAY['a' || g, NULL, 'Z']
    FROM generate_series(1, 3000) g;
  INSERT INTO tagged SELECT v || g, g FROM generate_series(1, 300) g, unnest(ARRAY['a', 'B', 'é', 'Z']) v;
  INSERT INTO keyless SELECT g % 10, 't' FROM generate_series(1, 100) g;
  ANALYZE;`;

describe('verify in parallel', () => {
  let pg17: SandboxServer;
  let pg10: SandboxServer;
  beforeAll(async () => {
    [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
    await Promise.all([freshDatabase(pg10, 'vp_src'), freshDatabase(pg17, 'vp_src')]);
    await Promise.all([run(pg10, 'vp_src', TABLES + ROWS), run(pg17, 'vp_src', TABLES + ROWS)]);
  });
  afterAll(async () => {
    await Promise.all([pg17?.stop(), pg10?.stop()]);
  });

  it('gives every session of a side the same snapshot and the fixed settings', async () => {
    await freshDatabase(pg17, 'vp_snap');
    await run(pg17, 'vp_snap', 'CREATE TABLE t (n int); INSERT INTO t VALUES (1)');
    const pool = await openSidePool(opener(pg17, 'vp_snap'), 3);
    try {
      expect(pool.sessions).toHaveLength(3);
      await run(pg17, 'vp_snap', 'INSERT INTO t VALUES (2)');
      for (const session of pool.sessions) {
        const { rows } = await session.query('SELECT count(*)::int AS n, current_setting($1) AS tz FROM t', [
          'TimeZone',
        ]);
        expect(rows[0]).toEqual({ n: 1, tz: 'UTC' });
      }
    } finally {
      await closeSidePool(pool);
    }
  });

  it('finds the same rows identical on 10 and 17, by ranges hashed on both at once', async () => {
    const report = await verifyDatabase(opener(pg10, 'vp_src'), opener(pg17, 'vp_src'), 'vp_src', undefined, {
      chunkRows: 400,
      jobs: 3,
      schema: false,
    });
    expect(formatVerifyReport(report)).toContain('result: identical');
    const things = report.tables.find((t) => t.table === '"public"."things"');
    expect(things).toMatchObject({ method: 'key-ranges', sourceRows: 3000, targetRows: 3000 });
    expect(things?.chunks).toBeGreaterThan(3);
    expect(report.tables.find((t) => t.table === '"public"."keyless"')).toMatchObject({
      method: 'whole',
      sourceRows: 100,
    });
  });

  it('names the keys of rows that differ, are missing or extra, whatever the number of sessions', async () => {
    await freshDatabase(pg17, 'vp_diff');
    await run(
      pg17,
      'vp_diff',
      `${TABLES}${ROWS}
       UPDATE things SET f8 = f8 + f8 * 1e-16 WHERE id = 1234;
       DELETE FROM things WHERE id IN (7, 2500);
       INSERT INTO things (id, label) VALUES (3001, 'extra');
       UPDATE tagged SET n = -n WHERE tag = 'é17';
       UPDATE keyless SET t = 'T' WHERE ctid = (SELECT min(ctid) FROM keyless);`,
    );
    const reports = await Promise.all(
      [1, 3].map((jobs) =>
        verifyDatabase(opener(pg10, 'vp_src'), opener(pg17, 'vp_diff'), 'vp_src', undefined, {
          chunkRows: 400,
          jobs,
          schema: false,
        }),
      ),
    );
    for (const report of reports) {
      expect(report.ok).toBe(false);
      const things = report.tables.find((t) => t.table === '"public"."things"');
      expect(things).toMatchObject({ sourceRows: 3000, targetRows: 2999 });
      const named = things?.differences.flatMap((d) => d.rows ?? []);
      expect(named).toEqual([
        { key: ['7'], problem: 'missing' },
        { key: ['1234'], problem: 'different' },
        { key: ['2500'], problem: 'missing' },
        { key: ['3001'], problem: 'extra' },
      ]);
      expect(things?.differences.map((d) => d.rowsDiffering)).toEqual(
        things?.differences.map((d) => d.rows?.length),
      );
      const tagged = report.tables.find((t) => t.table === '"public"."tagged"');
      expect(tagged?.differences.flatMap((d) => d.rows)).toEqual([{ key: ['é17'], problem: 'different' }]);
      expect(report.tables.find((t) => t.table === '"public"."keyless"')?.differences).toEqual([
        { range: 'whole table', sourceRows: 100, targetRows: 100 },
      ]);
      const text = formatVerifyReport(report);
      expect(text).toContain('key (1234): different');
      expect(text).toContain('key (3001): extra');
      expect(text).toContain('result: DIFFERENT');
    }
    // Range bounds come from a sample of the keys; the rows named do not depend on them.
    const named = (i: number) => reports[i]?.tables.map((t) => t.differences.flatMap((d) => d.rows ?? []));
    expect(named(0)).toEqual(named(1));
  });
});
