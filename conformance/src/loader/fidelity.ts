import type { TableRef } from '@pgshift/plugin-api';

/**
 * The fidelity dataset: every common type with a NULL in each column, values that break naive
 * text handling (NaN, ±Infinity, arrays holding NULLs, bytea with zero bytes, tabs, backslashes,
 * newlines, non-BMP unicode, json numbers beyond double precision), a TOASTed text, a table
 * without a primary key holding duplicate rows, an odd identifier, a foreign key and a sequence.
 */
export const FIDELITY_SCHEMA = `
CREATE SCHEMA "Odd ""Schema""";
CREATE TABLE public.kinds (
  id int PRIMARY KEY,
  i2 smallint, i4 int, i8 bigint, num numeric, f4 real, f8 float8, money_v money,
  b bool, t text, vc varchar(40), ch char(5), by bytea,
  d date, ts timestamp, tstz timestamptz, tm time, ttz timetz, iv interval,
  u uuid, j json, jb jsonb, x xml, inet_v inet, cidr_v cidr, mac macaddr, bits bit varying(16),
  pt point, rng int4range, tsv tsvector,
  ia int[], ta text[], na numeric[]
);
CREATE TABLE public.docs (id int PRIMARY KEY, kind_id int REFERENCES public.kinds (id), body text);
CREATE TABLE "Odd ""Schema"""."Mixed Case ""Table""" ("Key" int, "select" text, "null" text);
CREATE SEQUENCE public.counter START 100 INCREMENT 7;
CREATE INDEX kinds_t_idx ON public.kinds (t);
`;

export const FIDELITY_DATA = `
INSERT INTO public.kinds (id) VALUES (0);
INSERT INTO public.kinds VALUES
 (1, -32768, -2147483648, -9223372036854775808, -12345678901234567890.000000000000000001, 'NaN', 'NaN', '-92233720368547758.08',
  false, '', '', '', '\\x', '4713-01-01 BC', '0001-01-01 00:00', '294276-12-31 23:59:59.999999+00', '00:00', '24:00:00+14', '-178000000 years',
  '00000000-0000-0000-0000-000000000000', '{"n": 1e400, "big": 123456789012345678901234567890}', '{"n": 12345678901234567890.12345678901234567890}',
  '<a/>', '::1', '10.0.0.0/8', '08:00:2b:01:02:03', B'', '(0,0)', 'empty', '',
  '{}', '{}', '{}'),
 (2, 32767, 2147483647, 9223372036854775807, 'NaN', 'Infinity', '-Infinity', '92233720368547758.07',
  true, E'tab\\there\\nnewline \\\\ backslash "quote" ''apos'' \\u00e9 \\U0001F600 NUL-free', 'ünïcödé ✓', 'ab', '\\x00ff00deadbeef00',
  'infinity', '-infinity', 'infinity', '23:59:59.999999', '12:00:00-12', '1 year 2 mons 3 days 04:05:06.789',
  'ffffffff-ffff-ffff-ffff-ffffffffffff', '[1.0, -0, 1e-400, "\\u0000x"]', '{"a": [null, true, 1.50], "": ""}',
  '<r a="1">text &amp; more</r>', '2001:db8::1/64', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', B'1010101010101010', '(-1.5,1e300)', '[1,10)', 'a:1 b:2',
  ARRAY[1, NULL, 3], ARRAY[NULL, '', 'NULL', 'a,b', 'c"d', E'e\\\\f'], ARRAY['NaN'::numeric, NULL, 0.1]),
 (3, 0, 0, 0, 0.1, 3.4028235e38, 1.7976931348623157e308, 0,
  NULL, 'NULL', '\\N', ' ', '\\x5c4e', '2000-02-29', '2000-02-29 12:34:56.123456', '2000-02-29 12:34:56.123456+05:30', NULL, NULL, '0',
  NULL, 'null', 'null', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  ARRAY[NULL]::int[], ARRAY[NULL]::text[], NULL);
INSERT INTO public.kinds (id, t, f8) SELECT g, 'row ' || g, g / 7.0 FROM generate_series(10, 400) g;
-- Over 1 MB of text that compresses badly: stored out of line (TOAST).
INSERT INTO public.docs VALUES
 (1, 1, (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 40000) g)),
 (2, 2, NULL), (3, NULL, '');
INSERT INTO "Odd ""Schema"""."Mixed Case ""Table""" VALUES (1, 'a', NULL), (1, 'a', NULL), (NULL, NULL, NULL), (2, '', '');
SELECT setval('public.counter', 1234);
`;

export const FIDELITY_TABLES: TableRef[] = [
  { schema: 'public', name: 'kinds' },
  { schema: 'public', name: 'docs' },
  { schema: 'Odd "Schema"', name: 'Mixed Case "Table"' },
];

/** Changes committed after the snapshot was exported: none of them may reach the target. */
export const AFTER_SNAPSHOT = `
INSERT INTO public.kinds (id, t) VALUES (5000, 'inserted after the snapshot');
UPDATE public.kinds SET t = 'updated after the snapshot', i4 = NULL WHERE id BETWEEN 10 AND 60;
DELETE FROM public.docs WHERE id = 3;
DELETE FROM public.kinds WHERE id BETWEEN 300 AND 350;
INSERT INTO "Odd ""Schema"""."Mixed Case ""Table""" VALUES (9, 'after', 'after');
SELECT setval('public.counter', 99999);
`;
