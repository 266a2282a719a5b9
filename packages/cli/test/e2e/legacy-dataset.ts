import type { SandboxServer } from '@pgshift/sandbox';
import { startTransactionLoop } from './workload.js';

/**
 * A database with every object and value kind PostgreSQL 9.3 to 9.6 sources hold: arrays,
 * composites, domains, enums, ranges, json (jsonb from 9.4), hstore, inheritance, unlogged tables,
 * sequences, views and materialized views, rules, triggers, functions, comments, grants, large
 * TOASTed values, NaN and infinite floats and timestamps. Written in SQL that 9.3 accepts.
 */
export function legacySchema(major: number): string {
  const jsonb = major >= 9.4;
  return `
  CREATE EXTENSION hstore;
  CREATE ROLE legacy_reader;
  CREATE SCHEMA "Old Shop";
  CREATE TYPE "Old Shop".mood AS ENUM ('sad', 'ok', 'happy ☺');
  CREATE TYPE "Old Shop".address AS (street text, zip int, tags text[]);
  CREATE DOMAIN "Old Shop".positive AS numeric CHECK (VALUE > 0);
  CREATE TYPE "Old Shop".floatrange AS RANGE (subtype = float8);
  CREATE SEQUENCE "Old Shop".ticket_seq START 1000 INCREMENT 7 MINVALUE 10 MAXVALUE 9000000 CACHE 3 CYCLE;
  CREATE TABLE "Old Shop".customers (
    id serial PRIMARY KEY,
    "Full Name" text NOT NULL,
    mood "Old Shop".mood,
    home "Old Shop".address,
    credit "Old Shop".positive,
    props hstore,
    doc json${jsonb ? ', docb jsonb' : ''},
    scores int[],
    names text[],
    ratio float8,
    small float4,
    amount numeric,
    seen timestamptz,
    born date,
    span interval,
    window_ int4range,
    moments tstzrange,
    photo bytea,
    notes text,
    ticket bigint DEFAULT nextval('"Old Shop".ticket_seq')
  );
  COMMENT ON TABLE "Old Shop".customers IS 'people who buy';
  COMMENT ON COLUMN "Old Shop".customers."Full Name" IS 'as written on the card';
  CREATE INDEX customers_mood ON "Old Shop".customers (mood) WHERE mood IS NOT NULL;
  CREATE INDEX customers_props ON "Old Shop".customers USING gin (props);
  CREATE TABLE "Old Shop".orders (
    id bigserial PRIMARY KEY,
    customer_id int NOT NULL REFERENCES "Old Shop".customers (id) ON DELETE CASCADE,
    total numeric(14, 2) CHECK (total >= 0),
    placed timestamp DEFAULT '2020-01-01 00:00:00'
  );
  CREATE TABLE "Old Shop".events (at timestamptz NOT NULL, kind text, payload text);
  CREATE TABLE "Old Shop".events_2020 (CHECK (at < '2021-01-01')) INHERITS ("Old Shop".events);
  CREATE UNLOGGED TABLE "Old Shop".cache (k text PRIMARY KEY, v text);
  CREATE TABLE "Old Shop".audit (id serial PRIMARY KEY, what text, at timestamptz DEFAULT now());
  CREATE TABLE "Old Shop".keyless (n int, t text);
  CREATE FUNCTION "Old Shop".audit_order() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      INSERT INTO "Old Shop".audit (what) VALUES (TG_OP || ' order ' || NEW.id);
      RETURN NEW;
    END $f$;
  CREATE TRIGGER orders_audit AFTER INSERT ON "Old Shop".orders FOR EACH ROW EXECUTE PROCEDURE "Old Shop".audit_order();
  CREATE FUNCTION "Old Shop".order_total(int) RETURNS numeric LANGUAGE sql STABLE AS
    $f$ SELECT coalesce(sum(total), 0) FROM "Old Shop".orders WHERE customer_id = $1 $f$;
  CREATE VIEW "Old Shop".big_spenders AS
    SELECT c.id, c."Full Name", "Old Shop".order_total(c.id) AS spent FROM "Old Shop".customers c;
  CREATE MATERIALIZED VIEW "Old Shop".order_counts AS
    SELECT customer_id, count(*) AS n FROM "Old Shop".orders GROUP BY customer_id;
  CREATE RULE keep_cache AS ON DELETE TO "Old Shop".cache DO INSTEAD
    UPDATE "Old Shop".cache SET v = NULL WHERE k = OLD.k;
  GRANT SELECT ON "Old Shop".customers, "Old Shop".big_spenders TO legacy_reader;
  GRANT USAGE ON SCHEMA "Old Shop" TO legacy_reader;
  CREATE TABLE public.plain (id int PRIMARY KEY, v text);`;
}

export function legacyData(major: number): string {
  const jsonb = major >= 9.4;
  return `
  INSERT INTO "Old Shop".customers ("Full Name", mood, home, credit, props, doc${jsonb ? ', docb' : ''}, scores, names,
      ratio, small, amount, seen, born, span, window_, moments, photo, notes) VALUES
    ('Ada ☃', 'happy ☺', ROW('1 Main St', 12345, '{a,"b c"}'), 12.5, 'a=>1, "b c"=>NULL', '{"n": 1.000, "k": [1, 2]}'${jsonb ? `, '{"n": 1.000, "k": [1, 2]}'` : ''},
     '{{1,2},{3,NULL}}', '{"x,y","NULL",NULL,""}', 'NaN', 'Infinity', 'NaN', 'infinity', '-infinity', '1 year -2 days 03:04:05.678',
     '[1,10)', '[2020-01-01 00:00:00+00,infinity)', '\\x00ff10', E'tab\\there\\nnew line'),
    ('Bob', 'sad', NULL, 0.0001, '', '[]'${jsonb ? `, '[]'` : ''}, '{}', '{}', '-Infinity', '-Infinity', '-0.000',
     '1999-12-31 23:59:59.999999+05:30', '0044-03-15 BC', '-178000000 years', 'empty', '(,)', '\\x', ''),
    ('Cy', NULL, ROW(NULL, NULL, NULL), NULL, NULL, NULL${jsonb ? ', NULL' : ''}, NULL, NULL, 0.1, 0.1,
     '12345678901234567890.000000000001', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  INSERT INTO "Old Shop".customers ("Full Name", ratio, small, amount, notes)
    SELECT 'customer ' || g, g / 7.0, g / 3.0, g::numeric / 3, CASE WHEN g % 500 = 0 THEN repeat(md5(g::text), 20000) END
      FROM generate_series(4, 3000) g;
  INSERT INTO "Old Shop".orders (customer_id, total) SELECT 1 + g % 3000, g * 1.25 FROM generate_series(1, 6000) g;
  INSERT INTO "Old Shop".events VALUES ('2022-05-01', 'parent', 'p');
  INSERT INTO "Old Shop".events_2020 VALUES ('2020-05-01', 'child', repeat('x', 10000));
  INSERT INTO "Old Shop".cache SELECT 'k' || g, 'v' || g FROM generate_series(1, 50) g;
  INSERT INTO "Old Shop".keyless VALUES (1, 'a'), (1, 'a'), (NULL, NULL);
  INSERT INTO public.plain SELECT g, 'v' || g FROM generate_series(1, 100) g;
  SELECT nextval('"Old Shop".ticket_seq') FROM generate_series(1, 5);
  REFRESH MATERIALIZED VIEW "Old Shop".order_counts;
  ANALYZE;`;
}

/** Relations whose rows the compare looks at (the materialized view included). */
export const LEGACY_RELATIONS = [
  '"Old Shop".customers',
  '"Old Shop".orders',
  '"Old Shop".events',
  '"Old Shop".events_2020',
  '"Old Shop".cache',
  '"Old Shop".audit',
  '"Old Shop".keyless',
  '"Old Shop".big_spenders',
  '"Old Shop".order_counts',
  'public.plain',
];

export async function seedLegacy(server: SandboxServer, database: string): Promise<void> {
  await server.query(`CREATE DATABASE ${database}`);
  await server.query(legacySchema(server.major), [], database);
  await server.query(legacyData(server.major), [], database);
}

/**
 * An independent compare of one relation on the server itself: row count and an md5 over the
 * sorted md5s of its rows. Floats (and arrays of them) are hashed by their binary value, because
 * 9.x and 12+ print the same float differently; everything else as text under fixed settings.
 * Only ONLY rows, so an inheritance parent does not count its children's rows again.
 */
export async function relationHash(
  server: SandboxServer,
  database: string,
  relation: string,
): Promise<{ rows: number; md5: string | null; columns: string[] }> {
  const client = await server.client(database);
  try {
    await client.query(
      "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3",
    );
    const { rows: columns } = await client.query<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type FROM pg_attribute a
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [relation],
    );
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const byValue: Record<string, string> = {
      real: 'float4send',
      'double precision': 'float8send',
      'real[]': 'array_send',
      'double precision[]': 'array_send',
    };
    const exprs = columns.map(({ name, type }) => {
      const send = byValue[type];
      return send ? `encode(${send}(${quote(name)}), 'hex')` : `${quote(name)}::text`;
    });
    const { rows: kind } = await client.query<{ relkind: string }>(
      'SELECT relkind FROM pg_class WHERE oid = $1::regclass',
      [relation],
    );
    const only = kind[0]?.relkind === 'r' ? 'ONLY ' : '';
    const { rows } = await client.query<{ n: string; md5: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(h, ',' ORDER BY h)) AS md5
         FROM (SELECT md5(ROW(${exprs.join(', ')})::text) AS h FROM ${only}${relation}) r`,
    );
    return {
      rows: Number(rows[0]?.n),
      md5: rows[0]?.md5 ?? null,
      columns: columns.map((c) => `${c.name} ${c.type}`),
    };
  } finally {
    await client.end();
  }
}

export async function legacyHashes(server: SandboxServer, database: string, without: string[] = []) {
  const out: Record<string, Awaited<ReturnType<typeof relationHash>>> = {};
  for (const relation of LEGACY_RELATIONS.filter((r) => !without.includes(r)))
    out[relation] = await relationHash(server, database, relation);
  return out;
}

/**
 * Keeps changing a legacy database until stopped, in SQL 9.4 accepts: inserts (a trigger adds an
 * audit row on the source), updates of TOASTed values and of rows whose TOASTed value stays
 * unchanged, deletes, keyless-table updates (REPLICA IDENTITY FULL), sequence use and an
 * occasional TRUNCATE, each in its own transaction.
 */
export function startLegacyWriter(server: SandboxServer, database: string) {
  return startTransactionLoop(server, database, (i) => [
    `INSERT INTO "Old Shop".customers ("Full Name", notes, ratio, props) VALUES ('live ${i}', repeat(md5('${i}'), 400), ${i} / 3.0, 'i=>${i}')`,
    `INSERT INTO "Old Shop".orders (customer_id, total) SELECT id, ${i} * 0.5 FROM "Old Shop".customers ORDER BY random() LIMIT 2`,
    `UPDATE "Old Shop".customers SET notes = notes || '${i}' WHERE id = (SELECT id FROM "Old Shop".customers WHERE length(notes) > 5000 ORDER BY random() LIMIT 1)`,
    `UPDATE "Old Shop".customers SET mood = 'ok', small = ${i} WHERE id = (SELECT id FROM "Old Shop".customers WHERE length(notes) > 5000 ORDER BY random() LIMIT 1)`,
    `DELETE FROM "Old Shop".orders WHERE id = (SELECT min(id) FROM "Old Shop".orders)`,
    `UPDATE "Old Shop".keyless SET t = coalesce(t, '') || 'x' WHERE n = 1`,
    `UPDATE "Old Shop".events_2020 SET payload = payload || '${i}'`,
    `SELECT nextval('"Old Shop".ticket_seq')`,
    i % 25 === 24
      ? 'TRUNCATE public.plain'
      : `INSERT INTO public.plain SELECT coalesce(max(id), 0) + 1, 'live ${i}' FROM public.plain`,
  ]);
}
