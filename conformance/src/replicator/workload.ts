import type { TableRef } from '@pgshift/plugin-api';
import type pg from 'pg';

/** Tables the replicator suite follows: a keyed table of varied types, one without a key, TOAST. */
export const WORKLOAD_SCHEMA = `
CREATE TABLE public.items (id bigint PRIMARY KEY, v text, n numeric, f float8, b bytea, arr int[], j jsonb);
CREATE TABLE public.nokey (a int, b text);
ALTER TABLE public.nokey REPLICA IDENTITY FULL;
CREATE TABLE public."Odd ""Name""" ("Key" int PRIMARY KEY, "select" text, big text);
`;

export const WORKLOAD_SEED = `
INSERT INTO public.items SELECT g, 'seed ' || g, g * 1.5, g / 3.0, '\\x00ff'::bytea, ARRAY[g, NULL], '{"k": 1}' FROM generate_series(1, 40) g;
INSERT INTO public.nokey VALUES (1, 'same'), (1, 'same'), (2, NULL);
INSERT INTO public."Odd ""Name""" VALUES (1, 'one', NULL);
`;

export const WORKLOAD_TABLES: TableRef[] = [
  { schema: 'public', name: 'items' },
  { schema: 'public', name: 'nokey' },
  { schema: 'public', name: 'Odd "Name"' },
];

/** Over 1 MB of text that compresses badly: stored out of line (TOAST). */
const BIG = "(SELECT string_agg(md5(g::text || random()::text), '') FROM generate_series(1, 35000) g)";

/** Transaction number `i` of the workload: inserts, updates (key changes too), deletes, multi-statement. */
export function transaction(i: number): string {
  const id = 1000 + i;
  const pick = '(SELECT id FROM public.items ORDER BY random() LIMIT 1)';
  const list = [
    `INSERT INTO public.items VALUES (${id}, E'it''s "q" \\\\ \\t ${i} ✓', 12345678901234567890.123456789, random(), '\\xdeadbeef00', ARRAY[${i}, NULL], '{"n": 123456789012345678901234567890}'), (${id + 500000}, NULL, 'NaN', '-Infinity', NULL, NULL, NULL)`,
    `UPDATE public.items SET v = coalesce(v, '') || 'x', n = coalesce(n, 0) + 1 WHERE id = ${pick}`,
    `UPDATE public.items SET id = id + 1000000 WHERE id = ${pick} AND id < 1000000`,
    `DELETE FROM public.items WHERE id = ${pick}`,
    `INSERT INTO public.nokey VALUES (${i % 4}, 'r${i % 3}'), (${i % 4}, 'r${i % 3}')`,
    `UPDATE public.nokey SET b = b || '+' WHERE ctid = (SELECT ctid FROM public.nokey WHERE b IS NOT NULL ORDER BY random() LIMIT 1)`,
    `DELETE FROM public.nokey WHERE ctid = (SELECT ctid FROM public.nokey ORDER BY random() LIMIT 1)`,
    `BEGIN; INSERT INTO public."Odd ""Name""" VALUES (${id}, 'sel ${i}', CASE WHEN ${i % 20} = 0 THEN ${BIG} END); UPDATE public.items SET v = 'multi ${i}' WHERE id = ${pick}; COMMIT`,
    `UPDATE public."Odd ""Name""" SET "select" = "select" || '!' WHERE "Key" = (SELECT "Key" FROM public."Odd ""Name""" ORDER BY random() LIMIT 1)`,
  ];
  return list[i % list.length] as string;
}

/** Runs transactions `from` .. `from + count - 1` on one session. */
export async function runWorkload(client: pg.Client, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await client.query(transaction(i));
}
