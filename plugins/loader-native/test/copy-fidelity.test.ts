import { applySequences, fixedSettingsSql, readSequences, verifyDatabase } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../src/index.js';
import { freshDatabase, opener, rows, run } from './copy-fixtures.js';

/** Every built-in kind of value issue 3 names, under identifiers that need quoting. */
function schemaSql(major: number): string {
  return `
  CREATE SCHEMA "Odd Schema";
  CREATE TYPE "Odd Schema"."Mood" AS ENUM ('sad', 'ok', 'happy ☺');
  CREATE TYPE "Odd Schema".pair AS (a int, "B b" text);
  CREATE DOMAIN "Odd Schema".positive AS numeric CHECK (VALUE > 0);
  CREATE TABLE "Odd Schema"."Select" (
    "ID" int PRIMARY KEY,
    "col with space" text, "quote""d" text, "ünïcode" text, "order" int,
    n numeric, f8 float8, f4 float4, d date, ts timestamp, tstz timestamptz, iv interval,
    arr int[], tarr text[], comp "Odd Schema".pair, r int4range, tr tstzrange, nr numrange,
    mood "Odd Schema"."Mood", dom "Odd Schema".positive, b bytea, j json, jb jsonb, big text, pt point,
    ident int GENERATED ALWAYS AS IDENTITY
    ${major >= 12 ? `, gen int GENERATED ALWAYS AS ("order" * 2) STORED` : ''});
  CREATE TABLE "Odd Schema"."no key" (n int, t text);
  CREATE TABLE public.parted (id int NOT NULL, v text) PARTITION BY RANGE (id);
  CREATE TABLE public.parted_1 PARTITION OF public.parted FOR VALUES FROM (0) TO (100);
  CREATE TABLE public.parted_2 PARTITION OF public.parted FOR VALUES FROM (100) TO (1000);
  CREATE TABLE public.inh_parent (id int PRIMARY KEY, v text);
  CREATE TABLE public.inh_child (extra text) INHERITS (public.inh_parent);`;
}

const DATA = `
  INSERT INTO "Odd Schema"."Select" ("ID", "col with space", "quote""d", "ünïcode", "order", n, f8, f4, d, ts, tstz,
      iv, arr, tarr, comp, r, tr, nr, mood, dom, b, j, jb, big, pt) VALUES
    (1, E'tab\\there\\nnew line\\\\back\\\\slash\\r', 'it''s "quoted"', '☃ 𝄞 😀 日本語 ñ', 1,
     'NaN', 'Infinity', '-Infinity', 'infinity', '-infinity', 'infinity', '1 year 2 mons -3 days 04:05:06.789',
     '{{1,NULL},{3,4}}', '{"a\\"b","c,d",NULL,"NULL",""}', ROW(1, 'x y'), '[1,5)',
     '[2020-01-01 00:00:00+00,infinity)', '(1.5,2.25]', 'happy ☺', 123.456, '\\x00010203ff00'::bytea,
     '{"n": 12345678901234567890123456789.123456789, "f": 1e400}', '{"n": 12345678901234567890123456789.123456789}',
     NULL, point(0.1, -1e-300)),
    (2, '', NULL, E'\\u00e9\\u0301', 2, '12345678901234567890.000000000001', 0.1, 0.1, '0044-03-15 BC',
     '2001-02-03 04:05:06.789012', '1999-12-31 23:59:59.999999+05:30', '-178000000 years', '{}',
     '{}', ROW(NULL, NULL), 'empty', '(,)', '[-1e-20,1e20)', 'sad', 1e-30, '\\x'::bytea, '[]', '[]',
     (SELECT string_agg(md5(g::text), E'\\t') FROM generate_series(1, 200000) g), NULL),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (4, 'x', 'y', 'z', 4, '-0.000', '-0', 1e-40, '2000-02-29', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00',
     '0', '{{{1}},{{2}}}', '{"\\\\"}', ROW(-1, E'\\\\'), '[-2147483648,2147483647)', NULL, NULL, 'ok', 0.5,
     decode(repeat('00', 1000), 'hex'), '{"a":1,   "a":2}', '{"a":1, "a":2}', repeat('é', 3000000), '(1e308,-0)');
  INSERT INTO "Odd Schema"."Select" ("ID", "order", f8, n)
    SELECT g, g, g / 7.0, g::numeric / 3 FROM generate_series(5, 3000) g;
  INSERT INTO "Odd Schema"."no key" VALUES (1, 'a'), (1, 'a'), (NULL, NULL), (2, E'\\n');
  INSERT INTO public.parted SELECT g, 'v' || g FROM generate_series(1, 300) g;
  INSERT INTO public.inh_parent VALUES (1, 'parent');
  INSERT INTO public.inh_child VALUES (2, 'child', 'extra');
  ANALYZE;`;

/** Independent of verify: per row, md5 of the row's text with floats in their exact binary form. */
const ROW_HASHES = `${fixedSettingsSql()};
  SELECT "ID"::text AS id, md5(ROW("col with space", "quote""d", "ünïcode", "order", n, d, ts, tstz, iv, arr, tarr,
           comp, r, tr, nr, mood, dom, b, j, jb, big, ident)::text) AS h,
         encode(float8send(f8), 'hex') AS f8, encode(float4send(f4), 'hex') AS f4, encode(point_send(pt), 'hex') AS pt
    FROM "Odd Schema"."Select" ORDER BY "ID"`;

describe('fidelity: every value round-trips exactly', () => {
  let pg17: SandboxServer;
  let pg10: SandboxServer;
  beforeAll(async () => {
    [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
  });
  afterAll(async () => {
    await Promise.all([pg17?.stop(), pg10?.stop()]);
  });

  for (const sourceMajor of [17, 10] as const) {
    it(`${sourceMajor} → 17: copy, then verify and an independent row-text comparison agree`, async () => {
      const source = sourceMajor === 17 ? pg17 : pg10;
      const srcDb = `fid_src_${sourceMajor}`;
      const dstDb = `fid_dst_${sourceMajor}`;
      await freshDatabase(source, srcDb);
      await run(source, srcDb, schemaSql(sourceMajor) + DATA);
      await freshDatabase(pg17, dstDb);
      await run(pg17, dstDb, schemaSql(sourceMajor));

      const result = await copyDatabase({
        openSource: opener(source, srcDb),
        openTarget: opener(pg17, dstDb),
        database: srcDb,
        jobs: 3,
        splitTableBytes: 16 * 1024,
        onLostSnapshot: 'fail',
      });
      expect(result.consistent).toBe(true);
      expect(result.rows).toBe(3000 + 4 + 300 + 2);
      const sourceClient = await opener(source, srcDb)();
      const targetClient = await opener(pg17, dstDb)();
      try {
        await applySequences(targetClient, await readSequences(sourceClient));
      } finally {
        await sourceClient.end();
        await targetClient.end();
      }

      const [expected, actual] = await Promise.all([
        rows(source, srcDb, ROW_HASHES),
        rows(pg17, dstDb, ROW_HASHES),
      ]);
      expect(actual).toHaveLength(3000);
      expect(actual).toEqual(expected);
      // Generated columns were computed by the target, identity values carried over.
      if (sourceMajor >= 12) {
        const gen = await rows(
          pg17,
          dstDb,
          `SELECT count(*)::text AS n FROM "Odd Schema"."Select" WHERE gen <> "order" * 2`,
        );
        expect(gen[0]?.n).toBe('0');
      }
      const [big] = await rows(
        pg17,
        dstDb,
        `SELECT length(big)::text AS l FROM "Odd Schema"."Select" WHERE "ID" = 4`,
      );
      expect(big?.l).toBe('3000000');

      const report = await verifyDatabase(opener(source, srcDb), opener(pg17, dstDb), srcDb, undefined, {
        chunkRows: 500,
      });
      expect(report.tables.map((t) => t.error).filter(Boolean)).toEqual([]);
      expect(report.ok).toBe(true);
      const select = report.tables.find((t) => t.table === '"Odd Schema"."Select"');
      expect(select).toMatchObject({ method: 'key-ranges', sourceRows: 3000, targetRows: 3000 });
      expect(select?.chunks).toBeGreaterThan(3);
      expect(report.tables.map((t) => t.table).sort()).toEqual(
        [
          '"Odd Schema"."Select"',
          '"Odd Schema"."no key"',
          '"public"."inh_child"',
          '"public"."inh_parent"',
          '"public"."parted_1"',
          '"public"."parted_2"',
        ].sort(),
      );
    });
  }
});
