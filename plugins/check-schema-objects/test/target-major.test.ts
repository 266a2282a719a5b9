import { ConformanceServers } from '@pgshift/conformance';
import type { CheckResult } from '@pgshift/plugin-api';
import { sourceBuiltBinaries } from '@pgshift/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaObjectsChecker } from '../src/check.js';

const checker = new SchemaObjectsChecker();
const servers = new ConformanceServers(17);
afterAll(() => servers.stopAll());

async function check(source: number, database: string, setup: string, targetUser?: string) {
  const sourceServer = await servers.server(`source-${source}`, { major: source });
  const target = await servers.server('target');
  await servers.database(sourceServer, database, setup);
  const ctx = await servers.checkContext({
    source: sourceServer,
    target,
    databases: [database],
    ...(targetUser ? { targetUser } : {}),
  });
  return [await checker.run(ctx)].flat();
}

const item = (results: CheckResult[], id: string) => {
  const found = results.find((r) => r.id === id);
  expect(found, `no ${id} item in ${JSON.stringify(results)}`).toBeDefined();
  return found as CheckResult;
};

/** Types and tables PostgreSQL 12 removed, as a 10 or 9.x source may still hold them. */
const BEFORE_12 = `
  CREATE TABLE public.bookings (id int, booked abstime, stay reltime, slots tinterval[], note text);
  CREATE TABLE public.legacy (id int) WITH OIDS;
  CREATE DOMAIN public.stamp AS abstime;
  CREATE FUNCTION public.age_of(abstime) RETURNS int LANGUAGE sql AS 'SELECT 1';`;

describe('objects a later target major cannot create', () => {
  it('fails on 10 -> 17 for abstime, reltime and tinterval uses and tables WITH OIDS, naming each', async () => {
    const results = await check(10, 'bookings', BEFORE_12);
    const major = item(results, 'target.major-compatibility');
    expect(major.status).toBe('failed');
    for (const named of [
      'column public.bookings.booked uses type abstime',
      'column public.bookings.stay uses type reltime',
      'column public.bookings.slots uses type tinterval[]',
      'domain public.stamp uses type abstime',
      'function public.age_of(abstime) uses type abstime',
      'table "public"."legacy" is WITH OIDS',
    ])
      expect(major.message).toContain(named);
    expect(major.message).not.toContain('note');
    expect(major.remedy).toContain(
      `ALTER TABLE "public"."bookings" ALTER COLUMN "booked" TYPE timestamp with time zone USING NULLIF("booked", 'invalid')::timestamp with time zone;  -- 'invalid' becomes NULL`,
    );
    expect(major.remedy).toContain('ALTER TABLE "public"."legacy" SET WITHOUT OIDS;');
  });

  it('fails on 13 -> 17 for postfix operators and polymorphic aggregates over functions 14 changed', async () => {
    const results = await check(
      13,
      'operators',
      `CREATE FUNCTION public.fact(bigint) RETURNS numeric LANGUAGE sql AS 'SELECT 1::numeric';
       CREATE OPERATOR public.!!! (leftarg = bigint, procedure = public.fact);
       CREATE AGGREGATE public.collect(anyelement) (sfunc = array_append, stype = anyarray, initcond = '{}');
       CREATE AGGREGATE public.collect_ints(int) (sfunc = array_append, stype = int[], initcond = '{}');`,
    );
    const major = item(results, 'target.major-compatibility');
    expect(major.status).toBe('failed');
    expect(major.message).toContain('postfix operator public.!!! (bigint, NONE)');
    expect(major.message).toContain(
      'aggregate public.collect(anyelement) uses array_append(anyarray, anyelement), which PostgreSQL 17 does not have',
    );
    // Over concrete types the target still finds array_append: that one is created.
    expect(major.message).not.toContain('collect_ints');
    expect(major.remedy).toContain('DROP OPERATOR public.!!! (bigint, NONE);');
  });

  it('passes on 10 -> 17 when nothing uses what 17 lacks', async () => {
    const results = await check(10, 'plain', 'CREATE TABLE public.t (id int PRIMARY KEY, at timestamptz);');
    expect(results.map((r) => `${r.id} ${r.status}`)).toEqual([
      'source.schema-objects pass',
      'target.major-compatibility pass',
      'target.function-libraries pass',
    ]);
  });

  const { missing } = sourceBuiltBinaries(9.5);
  it.skipIf(missing)(
    `fails on 9.5 -> 17 for columns of type unknown too${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
      const results = await check(
        9.5,
        'legacy95',
        `${BEFORE_12} CREATE TABLE public.labels AS SELECT 1 AS id, 'draft' AS label;`,
      );
      const major = item(results, 'target.major-compatibility');
      expect(major.status).toBe('failed');
      expect(major.message).toContain('column public.labels.label is of type unknown');
      expect(major.message).toContain('column public.bookings.booked uses type abstime');
      expect(major.remedy).toContain(
        'ALTER TABLE "public"."labels" ALTER COLUMN "label" TYPE text USING "label"::text;',
      );
    },
  );
});

describe('the rest of the check', () => {
  it('reports a database whose schema cannot be planned as Failed, naming the object', async () => {
    const source = await servers.server('target');
    await servers.database(source, 'planned', 'CREATE TABLE public.t (id int);');
    const ctx = await servers.checkContext({
      source,
      target: source,
      databases: [{ name: 'planned', tables: ['public.ghost'] }],
    });
    const objects = item([await checker.run(ctx)].flat(), 'source.schema-objects');
    expect(objects.status).toBe('failed');
    expect(objects.message).toMatch(/the schema of database planned cannot be planned: .*"public"\."ghost"/);
  });

  it('with a target role that is no superuser, warns that C functions could not be checked and fails on what only a superuser carries', async () => {
    await servers.role(await servers.server('target'), 'plain_target', 'LOGIN');
    const results = await check(
      17,
      'native',
      `CREATE FUNCTION public.parse_pairs(cstring) RETURNS cstring LANGUAGE c AS '$libdir/hstore', 'hstore_in';
       CREATE TABLE public.stock (sku text);
       CREATE TABLE public.stock_2024 (note text) INHERITS (public.stock);
       ALTER TABLE public.stock ADD COLUMN amount int;`,
      'plain_target',
    );
    const libraries = item(results, 'target.function-libraries');
    expect(libraries.status).toBe('warning');
    expect(libraries.message).toMatch(
      /public\.parse_pairs\(cstring\) in native\): plain_target is not a superuser/,
    );
    const objects = item(results, 'source.schema-objects');
    expect(objects.status).toBe('failed');
    expect(objects.message).toMatch(/inherited-only flags .* "public"\."stock_2024" in native/);
    expect(objects.remedy).toContain('connect to the target as a superuser');
  });
});
