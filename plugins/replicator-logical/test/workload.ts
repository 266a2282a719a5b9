import type { TableRef } from '@pgshift/plugin-api';
import type { SandboxConnection } from '@pgshift/sandbox';
import { connect } from './helpers.js';

export const SCHEMA = `
CREATE TABLE items (id bigint PRIMARY KEY, v text, n numeric, f float8, ts timestamptz, b bytea, arr int[]);
CREATE TABLE docs (id int PRIMARY KEY, big text, small int);
CREATE TABLE full_rows (a int, b text, c jsonb);
ALTER TABLE full_rows REPLICA IDENTITY FULL;
CREATE TABLE "Odd ""Name""" ("Key Col" int PRIMARY KEY, "select" text);
CREATE TABLE trunc_me (id int PRIMARY KEY, v text);
`;

export const TABLES: TableRef[] = [
  { schema: 'public', name: 'items' },
  { schema: 'public', name: 'docs' },
  { schema: 'public', name: 'full_rows' },
  { schema: 'public', name: 'Odd "Name"' },
  { schema: 'public', name: 'trunc_me' },
];

/** More than 1 MB of text that compresses badly, so it is stored out of line (TOAST). */
const BIG = "(SELECT string_agg(md5(g::text || random()::text), '') FROM generate_series(1, 35000) g)";

export const SEED = `
INSERT INTO items SELECT g, 'seed ' || g, g * 1.5, g / 3.0, '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 hour', '\\x00ff'::bytea, ARRAY[g, g + 1]
  FROM generate_series(1, 50) g;
INSERT INTO docs VALUES (1, ${BIG}, 1);
INSERT INTO full_rows VALUES (1, 'same', '{"k": 1}'), (1, 'same', '{"k": 1}'), (2, NULL, NULL);
INSERT INTO "Odd ""Name""" VALUES (1, 'one');
INSERT INTO trunc_me SELECT g, 't' || g FROM generate_series(1, 10) g;
`;

const pick = (table: string, column = 'id') => `(SELECT ${column} FROM ${table} ORDER BY random() LIMIT 1)`;

/** The transactions the writer cycles through; `truncate` is left out for sources that cannot decode it. */
function transactions(i: number): string[] {
  const id = 1000 + i;
  const list = [
    `INSERT INTO items VALUES (${id}, 'it''s "q" ${i} ✓', 12345678901234567890.123456789, random(), now(), '\\xdeadbeef', ARRAY[${i}, NULL]), (${id + 500000}, NULL, NULL, 'NaN', NULL, NULL, NULL)`,
    `UPDATE items SET v = coalesce(v, '') || 'x', n = coalesce(n, 0) + 1, f = random() WHERE id = ${pick('items')}`,
    `UPDATE items SET id = id + 1000000 WHERE id = ${pick('items')} AND id < 1000000`,
    `DELETE FROM items WHERE id = ${pick('items')}`,
    `UPDATE docs SET small = small + 1 WHERE id = ${pick('docs')}`,
    `INSERT INTO full_rows VALUES (${i % 5}, 'r' || ${i % 3}, '{"i": ${i}}'), (${i % 5}, 'r' || ${i % 3}, '{"i": ${i}}')`,
    `UPDATE full_rows SET b = b || '+' WHERE ctid = (SELECT ctid FROM full_rows WHERE b IS NOT NULL ORDER BY random() LIMIT 1)`,
    `DELETE FROM full_rows WHERE ctid = (SELECT ctid FROM full_rows ORDER BY random() LIMIT 1)`,
    `INSERT INTO "Odd ""Name""" VALUES (${id}, 'sel ${i}'); UPDATE "Odd ""Name""" SET "select" = "select" || '!' WHERE "Key Col" = ${pick('"Odd ""Name"""', '"Key Col"')}`,
    `BEGIN; INSERT INTO items (id, v) VALUES (${id + 2000000}, 'multi'); UPDATE items SET v = 'changed in multi' WHERE id = ${id + 2000000}; DELETE FROM "Odd ""Name""" WHERE "Key Col" = ${pick('"Odd ""Name"""', '"Key Col"')}; COMMIT`,
  ];
  return list;
}

/** Occasional transactions: big TOASTed text, key changes that carry it, truncates. */
function specials(i: number, truncate: boolean): string[] {
  const id = 1000 + i;
  const list: string[] = [];
  if (i % 25 === 0) list.push(`INSERT INTO docs VALUES (${id}, ${BIG}, 0)`);
  if (i % 25 === 10) list.push(`UPDATE docs SET id = id + 100000 WHERE id = ${pick('docs')} AND id < 100000`);
  if (i % 25 === 20) list.push(`UPDATE docs SET big = ${BIG} WHERE id = ${pick('docs')}`);
  if (truncate && i % 30 === 15)
    list.push(
      `BEGIN; TRUNCATE trunc_me; INSERT INTO trunc_me SELECT g, 'after ${i}' FROM generate_series(1, 5) g; COMMIT`,
    );
  return list;
}

/** Runs rounds `from` .. `from + count - 1` of the transactions above on the source, one session. */
export async function runWriter(
  source: SandboxConnection,
  database: string,
  from: number,
  count: number,
  truncate: boolean,
): Promise<void> {
  const client = await connect(source, database);
  try {
    for (let i = from; i < from + count; i++) {
      const list = transactions(i);
      await client.query(list[i % list.length] as string);
      if (i % 7 === 0) await client.query(list[(i * 3 + 1) % list.length] as string);
      for (const sql of specials(i, truncate)) await client.query(sql);
    }
  } finally {
    await client.end();
  }
}
