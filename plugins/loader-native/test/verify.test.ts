import {
  applySequences,
  fixedSettingsSql,
  formatVerifyReport,
  readSequences,
  rowTextExpression,
  verifyDatabase,
} from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../src/index.js';
import { freshDatabase, opener, rows, run } from './copy-fixtures.js';

const SCHEMA = `
  CREATE TABLE items (id int PRIMARY KEY, "Name" text, f float8);
  CREATE TABLE pairs (a text, b int, v text, PRIMARY KEY (a, b));
  CREATE TABLE loose (n int, t text);
  CREATE SEQUENCE counter;`;

const column = (name: string, binary: { send: string; cast: string }) => ({
  name,
  type: binary.cast,
  generated: false,
  identity: '',
  collatable: false,
  binary,
});

describe('verify', () => {
  let pg17: SandboxServer;
  let pg10: SandboxServer;
  beforeAll(async () => {
    [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
    await freshDatabase(pg17, 'v_src');
    await run(
      pg17,
      'v_src',
      `${SCHEMA}
       INSERT INTO items SELECT g, 'item ' || g, g / 3.0 FROM generate_series(1, 5000) g;
       INSERT INTO pairs SELECT chr(65 + g % 26) || g, g % 7, 'v' FROM generate_series(1, 2000) g;
       INSERT INTO loose SELECT g % 10, 't' FROM generate_series(1, 100) g;
       SELECT setval('counter', 42);
       ANALYZE;`,
    );
  });
  afterAll(async () => {
    await Promise.all([pg17?.stop(), pg10?.stop()]);
  });

  async function copied(db: string) {
    await freshDatabase(pg17, db);
    await run(pg17, db, SCHEMA);
    await copyDatabase({
      openSource: opener(pg17, 'v_src'),
      openTarget: opener(pg17, db),
      database: 'v_src',
      jobs: 2,
      splitTableBytes: 1 << 30,
      onLostSnapshot: 'fail',
    });
    const s = await opener(pg17, 'v_src')();
    const t = await opener(pg17, db)();
    await applySequences(t, await readSequences(s));
    await Promise.all([s.end(), t.end()]);
  }

  const check = (db: string) =>
    verifyDatabase(opener(pg17, 'v_src'), opener(pg17, db), 'v_src', undefined, { chunkRows: 500 });

  it('passes on an exact copy', async () => {
    await copied('v_same');
    const report = await check('v_same');
    expect(formatVerifyReport(report)).toContain('result: identical');
    expect(report.ok).toBe(true);
    expect(report.tables.find((t) => t.table === '"public"."items"')?.chunks).toBe(10);
  });

  it('locates a changed row and a missing row to their key ranges', async () => {
    await copied('v_changed');
    await run(
      pg17,
      'v_changed',
      `UPDATE items SET "Name" = 'changed' WHERE id = 1234; DELETE FROM pairs WHERE a = 'Z25'`,
    );
    const report = await check('v_changed');
    expect(report.ok).toBe(false);
    const items = report.tables.find((t) => t.table === '"public"."items"');
    expect(items?.differences).toHaveLength(1);
    const diff = items?.differences[0];
    expect(diff).toMatchObject({ sourceRows: diff?.targetRows });
    expect(Number(diff?.lower?.[0])).toBeLessThanOrEqual(1234);
    expect(Number(diff?.upper?.[0])).toBeGreaterThan(1234);
    const pairs = report.tables.find((t) => t.table === '"public"."pairs"');
    expect(pairs).toMatchObject({ sourceRows: 2000, targetRows: 1999 });
    expect(pairs?.differences).toHaveLength(1);
    const missing = pairs?.differences[0];
    expect(missing?.targetRows).toBe((missing?.sourceRows ?? 0) - 1);
    // The reported range, run as SQL on the source, contains the missing row.
    const [hit] = await rows(
      pg17,
      'v_src',
      `SELECT count(*)::text AS n FROM ${missing?.range} AND a = 'Z25'`,
    );
    expect(hit?.n).toBe('1');
    expect(formatVerifyReport(report)).toMatch(/table "public"."pairs": source 2000 rows, target 1999 rows/);
    expect(report.sequences).toEqual([]);
  });

  it('reports a float that differs only in its last bit, a keyless change and a missing table', async () => {
    await copied('v_subtle');
    await run(
      pg17,
      'v_subtle',
      `UPDATE items SET f = f + f * 1e-16 WHERE id = 4999;
       UPDATE loose SET t = 'T' WHERE ctid = (SELECT min(ctid) FROM loose);
       DROP TABLE pairs;`,
    );
    const [f] = await rows(
      pg17,
      'v_subtle',
      `SET extra_float_digits = 0;
       SELECT (f <> (4999 / 3.0)::float8 AND f::text = (4999 / 3.0)::float8::text)::text AS subtle FROM items WHERE id = 4999`,
    );
    expect(f?.subtle).toBe('true'); // a different value whose 15-digit text is the same
    const report = await check('v_subtle');
    expect(report.tables.find((t) => t.table === '"public"."items"')?.differences).toHaveLength(1);
    expect(report.tables.find((t) => t.table === '"public"."loose"')).toMatchObject({
      method: 'whole',
      differences: [{ range: 'whole table', sourceRows: 100, targetRows: 100 }],
    });
    expect(report.tables.find((t) => t.table === '"public"."pairs"')?.error).toMatch(/could not compare/);
    expect(report.schema.some((d) => d.problem === 'missing' && d.name.includes('"pairs"'))).toBe(true);
    expect(report.ok).toBe(false);
  });

  it('reports a wrong sequence value', async () => {
    await copied('v_seq');
    await run(pg17, 'v_seq', `SELECT setval('counter', 41)`);
    const report = await check('v_seq');
    expect(report.ok).toBe(false);
    expect(report.sequences).toEqual([{ sequence: '"public"."counter"', source: '42', target: '41' }]);
    expect(formatVerifyReport(report)).toContain('sequence "public"."counter": source 42, target 41');
  });

  it('agrees when the target orders text differently (key ranges and order use COLLATE "C")', async () => {
    const values = `INSERT INTO names SELECT v || g, g FROM generate_series(1, 400) g, unnest(ARRAY['a', 'B', 'é', 'Z']) v`;
    await freshDatabase(pg17, 'v_coll_src');
    await run(pg17, 'v_coll_src', `CREATE TABLE names (k text PRIMARY KEY, n int); ${values}; ANALYZE`);
    await freshDatabase(pg17, 'v_coll_dst');
    await run(
      pg17,
      'v_coll_dst',
      `CREATE TABLE names (k text COLLATE "en-x-icu" PRIMARY KEY, n int); ${values}`,
    );
    const [order] = await rows(
      pg17,
      'v_coll_dst',
      `SELECT (SELECT string_agg(k, ',' ORDER BY k) FROM names) <> (SELECT string_agg(k, ',' ORDER BY k COLLATE "C") FROM names) AS differs`,
    );
    expect(order?.differs).toBe(true);
    const report = await verifyDatabase(
      opener(pg17, 'v_coll_src'),
      opener(pg17, 'v_coll_dst'),
      'v_coll_src',
      undefined,
      {
        chunkRows: 300,
        schema: false,
      },
    );
    expect(report.tables[0]?.chunks).toBeGreaterThan(3);
    expect(report.ok).toBe(true);
  });

  it('compares floats by binary form because 10 and 17 print them differently under any setting', async () => {
    const sql = `${fixedSettingsSql()};
      SELECT 0.1::float8::text AS t, point(0.1, 1e-300)::text AS pt, md5(${rowTextExpression([
        column('f', { send: 'float8send', cast: 'float8' }),
        column('r', { send: 'float4send', cast: 'float4' }),
        column('a', { send: 'array_send', cast: 'float8[]' }),
        column('p', { send: 'point_send', cast: 'point' }),
      ])}) AS h FROM (SELECT 0.1::float8 AS f, 0.1::float4 AS r, ARRAY[0.1, NULL, 'NaN']::float8[] AS a,
                  point(0.1, 1e-300) AS p) s`;
    const [ten] = await rows(pg10, 'postgres', sql);
    const [seventeen] = await rows(pg17, 'postgres', sql);
    expect(ten?.t).toBe('0.100000000000000006');
    expect(seventeen?.t).toBe('0.1');
    expect(ten?.pt).not.toBe(seventeen?.pt);
    expect(ten?.h).toBe(seventeen?.h);
  });
});
