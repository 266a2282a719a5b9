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
  for (const server of [pg17, pg10]) await server.query('CREATE ROLE "conv owner"');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

/** Conversions on the server's own functions (their arguments changed in 14: named, not listed). */
const FIXTURE = [
  'CREATE SCHEMA "Conv"',
  `CREATE CONVERSION "Conv"."latin to utf" FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8`,
  `COMMENT ON CONVERSION "Conv"."latin to utf" IS 'latin-1 in'`,
  'ALTER CONVERSION "Conv"."latin to utf" OWNER TO "conv owner"',
  `CREATE DEFAULT CONVERSION "Conv".utf_to_latin FOR 'UTF8' TO 'LATIN1' FROM utf8_to_iso8859_1`,
];

const CONVERSIONS = `SELECT n.nspname, c.conname, pg_encoding_to_char(c.conforencoding) AS "for",
    pg_encoding_to_char(c.contoencoding) AS "to", c.conproc::text AS proc, c.condefault,
    obj_description(c.oid, 'pg_conversion') AS comment, pg_get_userbyid(c.conowner) AS owner
  FROM pg_conversion c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.oid >= 16384 ORDER BY 1, 2`;

async function roundTrip(source: SandboxServer, label: string): Promise<void> {
  const src = await freshDatabase(source, `conversion ${label} src`, clients, FIXTURE);
  const dst = await freshDatabase(pg17, `conversion ${label} dst`, clients);
  await copySchema(src, dst, { copyOwners: true });

  const expected = await src.query(CONVERSIONS);
  expect(expected.rows.map((r) => r.conname)).toEqual(['latin to utf', 'utf_to_latin']);
  expect((await dst.query(CONVERSIONS)).rows).toEqual(expected.rows);
  expect(await readSchemaObjects(dst)).toEqual(await readSchemaObjects(src));
}

describe('conversions', () => {
  it('are recreated with their encodings, function, default flag, owner and comment, 17 to 17', async () => {
    await roundTrip(pg17, '17');
  });

  it('are recreated with their encodings, function, default flag, owner and comment, 10 to 17', async () => {
    await roundTrip(pg10, '10');
  });
});
