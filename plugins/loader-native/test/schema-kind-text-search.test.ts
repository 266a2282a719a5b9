import { readSchemaObjects } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
  await pg17.query('CREATE ROLE "ts owner"');
  await pg10.query('CREATE ROLE "ts owner"');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

const FIXTURE = [
  'CREATE SCHEMA "TS"',
  // A template and a parser of their own, over the built-in functions.
  'CREATE TEXT SEARCH TEMPLATE "TS"."plain words" (INIT = dsimple_init, LEXIZE = dsimple_lexize)',
  'CREATE TEXT SEARCH TEMPLATE "TS".lexize_only (LEXIZE = dsimple_lexize)',
  `CREATE TEXT SEARCH PARSER "TS".words (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
     LEXTYPES = prsd_lextype, HEADLINE = prsd_headline)`,
  'CREATE TEXT SEARCH PARSER "TS".no_headline (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype)',
  // Dictionaries with options, on the template above and on built-in ones.
  `CREATE TEXT SEARCH DICTIONARY "TS".plain (TEMPLATE = "TS"."plain words", STOPWORDS = english, ACCEPT = false)`,
  `CREATE TEXT SEARCH DICTIONARY "TS"."Stem" (TEMPLATE = snowball, LANGUAGE = english, STOPWORDS = english)`,
  'CREATE TEXT SEARCH DICTIONARY "TS".bare (TEMPLATE = simple)',
  // A copy of english with its words sent through the dictionaries above first.
  'CREATE TEXT SEARCH CONFIGURATION "TS".c (COPY = pg_catalog.english)',
  'ALTER TEXT SEARCH CONFIGURATION "TS".c ALTER MAPPING FOR asciiword, word WITH "TS".plain, "TS"."Stem", english_stem',
  'ALTER TEXT SEARCH CONFIGURATION "TS".c DROP MAPPING FOR email, url',
  'CREATE TEXT SEARCH CONFIGURATION "TS".own (PARSER = "TS".words)',
  'ALTER TEXT SEARCH CONFIGURATION "TS".own ADD MAPPING FOR asciiword, int WITH "TS".bare',
  `COMMENT ON TEXT SEARCH TEMPLATE "TS"."plain words" IS 'simple, named'`,
  `COMMENT ON TEXT SEARCH PARSER "TS".words IS 'the default parser again'`,
  `COMMENT ON TEXT SEARCH DICTIONARY "TS".plain IS 'no stop words kept'`,
  `COMMENT ON TEXT SEARCH CONFIGURATION "TS".c IS 'english, plainer'`,
  'ALTER TEXT SEARCH DICTIONARY "TS"."Stem" OWNER TO "ts owner"',
  'ALTER TEXT SEARCH CONFIGURATION "TS".own OWNER TO "ts owner"',
  // An index that names the configuration: its table must come after it.
  'CREATE TABLE "TS".docs (id int, body text)',
  `CREATE INDEX docs_body ON "TS".docs USING gin (to_tsvector('"TS".c'::regconfig, body))`,
];

const TEMPLATES = `SELECT tmplnamespace::regnamespace::text || '.' || tmplname AS name, tmplinit::text, tmpllexize::text,
    obj_description(oid, 'pg_ts_template') AS comment FROM pg_ts_template WHERE oid >= 16384 ORDER BY 1`;
const PARSERS = `SELECT prsnamespace::regnamespace::text || '.' || prsname AS name, prsstart::text, prstoken::text, prsend::text,
    prslextype::text, prsheadline::text, obj_description(oid, 'pg_ts_parser') AS comment FROM pg_ts_parser WHERE oid >= 16384 ORDER BY 1`;
const DICTIONARIES = `SELECT d.dictnamespace::regnamespace::text || '.' || d.dictname AS name, t.tmplname, d.dictinitoption,
    pg_get_userbyid(d.dictowner) AS owner, obj_description(d.oid, 'pg_ts_dict') AS comment
  FROM pg_ts_dict d JOIN pg_ts_template t ON t.oid = d.dicttemplate WHERE d.oid >= 16384 ORDER BY 1`;
const CONFIGURATIONS = `SELECT c.cfgnamespace::regnamespace::text || '.' || c.cfgname AS name, p.prsname, pg_get_userbyid(c.cfgowner) AS owner,
    obj_description(c.oid, 'pg_ts_config') AS comment,
    (SELECT string_agg(m.maptokentype || ':' || m.mapseqno || ':' || m.mapdict::regdictionary::text, ' ' ORDER BY m.maptokentype, m.mapseqno)
      FROM pg_ts_config_map m WHERE m.mapcfg = c.oid) AS map
  FROM pg_ts_config c JOIN pg_ts_parser p ON p.oid = c.cfgparser WHERE c.oid >= 16384 ORDER BY 1`;

async function rows(client: pg.Client, sql: string) {
  return (await client.query(sql)).rows;
}

const TEXT = 'The Quick foxes jumped over 42 lazy dogs; mail me@example.com';

async function roundTrip(source: pg.Client, target: pg.Client): Promise<void> {
  await copySchema(source, target, { copyOwners: true });
  for (const [sql, count] of [
    [TEMPLATES, 2],
    [PARSERS, 2],
    [DICTIONARIES, 3],
    [CONFIGURATIONS, 2],
  ] as const) {
    const expected = await rows(source, sql);
    expect(expected).toHaveLength(count);
    expect(await rows(target, sql)).toEqual(expected);
  }
  expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));

  // The configurations work on the target as on the source.
  const vectors = `SELECT to_tsvector('"TS".c', '${TEXT}')::text AS c, to_tsvector('"TS".own', '${TEXT}')::text AS own,
      ts_headline('"TS".c', '${TEXT}', to_tsquery('"TS".c', 'fox')) AS headline`;
  const expected = await rows(source, vectors);
  expect(expected[0].c).not.toContain('the');
  expect(expected[0].c).not.toContain('example');
  expect(await rows(target, vectors)).toEqual(expected);
  await target.query(
    `INSERT INTO "TS".docs SELECT g, 'doc ' || g || ' about foxes' FROM generate_series(1, 50) g`,
  );
  const found = await rows(
    target,
    `SELECT count(*)::int AS n FROM "TS".docs WHERE to_tsvector('"TS".c'::regconfig, body) @@ to_tsquery('"TS".c', 'fox')`,
  );
  expect(found).toEqual([{ n: 50 }]);
}

describe('text search objects', () => {
  it('are recreated on 17 from 17: templates, parsers, dictionaries with options, configurations with their mappings', async () => {
    const source = await freshDatabase(pg17, 'ts src', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'ts dst', clients);
    await roundTrip(source, target);
  });

  it('are recreated on 17 from 10', async () => {
    const source = await freshDatabase(pg10, 'ts src 10', clients, FIXTURE);
    const target = await freshDatabase(pg17, 'ts dst 10', clients);
    await roundTrip(source, target);
  });
});
