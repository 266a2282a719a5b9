import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSchemaObjects } from '@pgshift/pg';
import { regressionDatabase, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySchema, freshDatabase } from './schema-helpers.js';

/*
 * Security labels need a label provider loaded on both servers. PostgreSQL's own test provider,
 * dummy_seclabel, is built with its source tree, not shipped: the test runs on the installation
 * of the regression database (docs/testing.md) when its lib/ holds dummy_seclabel.
 */
const regression = regressionDatabase(15);
const binaries = regression.found?.binaries;
const missing =
  regression.missing ??
  (binaries && !existsSync(join(binaries.lib, 'dummy_seclabel.so'))
    ? `no dummy_seclabel.so in ${binaries.lib} (PostgreSQL's test label provider)`
    : undefined);

const LABELS = `SELECT i.type || ' ' || i.identity || ' ' || l.provider || '=' || l.label AS v
  FROM pg_seclabel l, LATERAL pg_identify_object(l.classoid, l.objoid, l.objsubid) i ORDER BY 1`;

describe.skipIf(missing)(`security labels${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let server: SandboxServer;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    if (!binaries) return;
    server = await startPostgres({
      major: 15,
      binaries,
      settings: { shared_preload_libraries: 'dummy_seclabel' },
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await server?.stop();
  });

  it('are set on tables, columns, functions, schemas and large objects as on the source', async () => {
    const source = await freshDatabase(server, 'labels src', clients, [
      'CREATE SCHEMA "Secret Stuff"',
      'CREATE TABLE "Secret Stuff".t (id int, "Pay" numeric)',
      'CREATE FUNCTION public.f(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$',
      `SECURITY LABEL ON SCHEMA "Secret Stuff" IS 'classified'`,
      `SECURITY LABEL ON TABLE "Secret Stuff".t IS 'secret'`,
      `SECURITY LABEL ON COLUMN "Secret Stuff".t."Pay" IS 'top secret'`,
      `SECURITY LABEL ON FUNCTION public.f(int) IS 'unclassified'`,
      'SELECT lo_create(424242)',
      `SECURITY LABEL ON LARGE OBJECT 424242 IS 'classified'`,
    ]);
    const target = await freshDatabase(server, 'labels dst', clients);
    await copySchema(source, target);

    const expected = (await source.query(LABELS)).rows;
    expect(expected).toHaveLength(5);
    expect((await target.query(LABELS)).rows).toEqual(expected);
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
  });
});
