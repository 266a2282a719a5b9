import { applyStatements, readSchemaObjects, tableKey, targetMajorCheck } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema } from '../src/index.js';
import { BASE_FIXTURE, MODERN_FIXTURE, SQL_BODY_FIXTURE } from './schema-fixture.js';
import { applyPlan, freshDatabase as freshDatabaseIn, one } from './schema-helpers.js';

let pg17: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];

const freshDatabase = (server: SandboxServer, name: string, fixture: string[] = []) =>
  freshDatabaseIn(server, name, clients, fixture);

beforeAll(async () => {
  [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
  await pg17.query('CREATE ROLE "app owner"');
  await pg17.query('CREATE ROLE "app reader"');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

/** Spot checks on a target, independent of readSchemaObjects. */
async function spotChecks(target: pg.Client, modern: boolean): Promise<void> {
  const labels = await target.query(
    `SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = '"Shop Floor"."Order Status"'::regtype ORDER BY e.enumsortorder`,
  );
  expect(labels.rows.map((r) => r.enumlabel)).toEqual(['new', 'cancelled', 'paid', 'shipped', "it's done"]);

  const identity = await one<{ attidentity: string }>(
    target,
    `SELECT attidentity FROM pg_attribute WHERE attrelid = '"Shop Floor"."Order Items"'::regclass AND attname = 'ID'`,
  );
  expect(identity.attidentity).toBe('a');
  const byDefault = await one<{ attidentity: string }>(
    target,
    `SELECT attidentity FROM pg_attribute WHERE attrelid = 'public.scratch'::regclass AND attname = 'id'`,
  );
  expect(byDefault.attidentity).toBe('d');
  const unlogged = await one<{ relpersistence: string; reloptions: string[] }>(
    target,
    `SELECT relpersistence, reloptions FROM pg_class WHERE oid = 'public.scratch'::regclass`,
  );
  expect(unlogged).toEqual({ relpersistence: 'u', reloptions: ['fillfactor=70'] });

  const bound = await one<{ b: string }>(
    target,
    `SELECT pg_get_expr(relpartbound, oid) AS b FROM pg_class WHERE oid = 'public."events 2025 a"'::regclass`,
  );
  expect(bound.b).toBe("FOR VALUES IN ('a', 'other')");

  // Data goes in after the schema, as the loader does it.
  await target.query(
    `INSERT INTO "Shop Floor"."Order Items" ("select", status, price, qty) VALUES ('a', 'paid', 12.5, 4), ('b', 'new', 1, 2)`,
  );
  const ids = await target.query(
    `SELECT "ID"::text AS id, code FROM "Shop Floor"."Order Items" ORDER BY "ID"`,
  );
  expect(ids.rows).toEqual([
    { id: '1000', code: 'C-100' },
    { id: '1010', code: 'C-105' },
  ]);
  const view = await target.query(`SELECT "select", price::text AS price FROM "select"."paid items"`);
  expect(view.rows).toEqual([{ select: 'a', price: '12.50' }]);
  expect((await one<{ n: string }>(target, `SELECT n::text FROM "select"."paid count"`)).n).toBe('1');
  // User-defined aggregates (one over `*`) are there and compute.
  expect(await one(target, 'SELECT sq::text, n::text FROM public."agg view"')).toEqual({ sq: '20', n: '2' });

  // The trigger fires, the FK holds, the NOT VALID check is there and not validated.
  await target.query(`INSERT INTO "select"."order" (item, note) VALUES (1000, 'hi')`);
  expect((await one<{ note: string }>(target, `SELECT note FROM "select"."order"`)).note).toBe(
    'hi [audited]',
  );
  await expect(target.query(`INSERT INTO "select"."order" (item) VALUES (999)`)).rejects.toThrow(/item fk/);
  await expect(
    target.query(`INSERT INTO "Shop Floor"."Order Items" ("select", qty) VALUES ('c', 3)`),
  ).rejects.toThrow(/qty is even/);
  const notValid = await one<{ convalidated: boolean }>(
    target,
    `SELECT convalidated FROM pg_constraint WHERE conname = 'qty small'`,
  );
  expect(notValid.convalidated).toBe(false);

  // Inherited column default on the child differs from the parent's; the rule is there.
  await target.query(`INSERT INTO public."Dog" (name) VALUES ('rex')`);
  expect(await one(target, `SELECT id, breed FROM public."Dog"`)).toEqual({ id: 7, breed: 'mutt' });
  await target.query(`DELETE FROM public.animal`);
  expect((await one<{ n: string }>(target, 'SELECT count(*)::text AS n FROM public.animal')).n).toBe('1');

  // An exclusion constraint (btree_gist operator classes) and a deferred unique constraint.
  await target.query(`INSERT INTO public.booking VALUES (1, '[2025-01-01,2025-01-05)', 'ann')`);
  await expect(
    target.query(`INSERT INTO public.booking VALUES (1, '[2025-01-03,2025-01-04)', 'bob')`),
  ).rejects.toThrow(/no overlap/);
  const seq = await one(
    target,
    `SELECT seqmin::text AS min, seqmax::text AS max FROM pg_sequence WHERE seqrelid = 'public."count down"'::regclass`,
  );
  expect(seq).toEqual({ min: '-9223372036854775808', max: '-1' });

  // An INSTEAD OF trigger on a view; a view's check option.
  await target.query(`INSERT INTO public."dog names" VALUES (8, 'fido')`);
  expect(await one(target, `SELECT breed FROM public."Dog" WHERE id = 8`)).toEqual({ breed: 'via view' });
  await expect(target.query(`INSERT INTO public."writable dogs" VALUES (-1, 'neg')`)).rejects.toThrow(
    /check option/,
  );

  // A partition's own default and the routing through two levels.
  await target.query(`INSERT INTO public."events 2025 a" (id, at) VALUES (1, '2025-03-01')`);
  expect((await one<{ kind: string }>(target, 'SELECT kind FROM public.events')).kind).toBe('other');

  if (modern) {
    const generated = await one<{ expr: string; attgenerated: string }>(
      target,
      `SELECT pg_get_expr(d.adbin, d.adrelid) AS expr, a.attgenerated FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = '"Shop Floor"."Order Items"'::regclass AND a.attname = 'total'`,
    );
    expect(generated).toEqual({ expr: '(qty * 2)', attgenerated: 's' });
    const total = await one<{ total: string }>(
      target,
      `SELECT total::text FROM "Shop Floor"."Order Items" WHERE "select" = 'a'`,
    );
    expect(total.total).toBe('8');
    // The partitioned table's index is valid once every partition's index is attached.
    const valid = await one<{ indisvalid: boolean }>(
      target,
      `SELECT indisvalid FROM pg_index WHERE indexrelid = 'public."events kind"'::regclass`,
    );
    expect(valid.indisvalid).toBe(true);
    await target.query(`INSERT INTO public.hashed VALUES (1, 'x')`);
    await target.query(`INSERT INTO public."hash ref" VALUES (1)`);
    await expect(target.query(`INSERT INTO public."hash ref" VALUES (2)`)).rejects.toThrow(/to hashed/);
    await target.query(`CALL public."do thing"(1)`);
  }
}

describe('schema copy', () => {
  it('recreates every kind of object from 17 on 17', async () => {
    const source = await freshDatabase(pg17, 'src same', [
      ...BASE_FIXTURE,
      ...MODERN_FIXTURE,
      ...SQL_BODY_FIXTURE,
    ]);
    const target = await freshDatabase(pg17, 'dst same');
    const plan = await planSchema(source, {}, { copyOwners: false, copyPrivileges: false });

    expect(plan.materializedViews).toEqual([{ schema: 'public', name: 'item stats' }]);
    expect(plan.skipped).toEqual([]);
    const everything = [...plan.preData, ...[...plan.tablePostData.values()].flat(), ...plan.postData];
    expect(everything.filter((s) => s.sql.includes('pgshift'))).toEqual([]);
    expect(plan.sequences).toEqual(
      expect.arrayContaining([
        { schema: 'Shop Floor', name: 'Code Seq' },
        { schema: 'Shop Floor', name: 'Order Items_ID_seq' },
        { schema: 'select', name: 'order_order id_seq' },
        { schema: 'public', name: 'scratch_id_seq' },
      ]),
    );
    // Every index of a plain table is a build of its own, first; the constraints then take theirs.
    expect(
      plan.tablePostData
        .get(tableKey('Shop Floor', 'Order Items'))
        ?.map((s) => [s.description, s.indexBuild === true]),
    ).toEqual([
      ['index "Order Items_pkey" of constraint on "Shop Floor"."Order Items"', true],
      ['index "uniq code" of constraint on "Shop Floor"."Order Items"', true],
      ['index "Shop Floor"."items by status" on "Shop Floor"."Order Items"', true],
      ['constraint "Order Items_pkey" on "Shop Floor"."Order Items"', false],
      ['constraint "uniq code" on "Shop Floor"."Order Items"', false],
    ]);

    await applyPlan(target, plan);
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
    await spotChecks(target, true);
  });

  it('recreates a PostgreSQL 10 schema on 17', async () => {
    const source = await freshDatabase(pg10, 'src old', BASE_FIXTURE);
    const target = await freshDatabase(pg17, 'dst from 10');
    const plan = await planSchema(source, {}, { copyOwners: false, copyPrivileges: false });
    await applyPlan(target, plan);
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
    await spotChecks(target, false);
  });

  it('copies owners and privileges only when asked', async () => {
    const source = await freshDatabase(pg17, 'src acl', [
      'CREATE SCHEMA "App"',
      'CREATE TABLE "App"."T" (id int, secret text)',
      'CREATE SEQUENCE "App"."S"',
      'ALTER TABLE "App"."T" OWNER TO "app owner"',
      'GRANT SELECT (id) ON "App"."T" TO "app reader"',
      'GRANT USAGE ON SCHEMA "App" TO "app reader"',
      'GRANT USAGE ON SEQUENCE "App"."S" TO "app reader" WITH GRANT OPTION',
      'ALTER DEFAULT PRIVILEGES FOR ROLE "app owner" IN SCHEMA "App" GRANT SELECT ON TABLES TO "app reader"',
      'ALTER DEFAULT PRIVILEGES FOR ROLE "app owner" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC',
    ]);
    const without = await freshDatabase(pg17, 'dst no acl');
    await applyPlan(without, await planSchema(source, {}, { copyOwners: false, copyPrivileges: false }));
    const plain = await one(
      without,
      `SELECT relowner::regrole::text AS owner, relacl::text AS acl FROM pg_class WHERE oid = '"App"."T"'::regclass`,
    );
    expect(plain).toEqual({ owner: 'postgres', acl: null });

    const withAcl = await freshDatabase(pg17, 'dst acl');
    await applyPlan(withAcl, await planSchema(source, {}, { copyOwners: true, copyPrivileges: true }));
    const copied = await one<{ owner: string }>(
      withAcl,
      `SELECT relowner::regrole::text AS owner FROM pg_class WHERE oid = '"App"."T"'::regclass`,
    );
    expect(copied.owner).toBe('"app owner"');
    const reader = await one(
      withAcl,
      `SELECT has_column_privilege('app reader', '"App"."T"', 'id', 'SELECT') AS id,
              has_column_privilege('app reader', '"App"."T"', 'secret', 'SELECT') AS secret,
              has_schema_privilege('app reader', 'App', 'USAGE') AS schema,
              has_sequence_privilege('app reader', '"App"."S"', 'USAGE WITH GRANT OPTION') AS seq`,
    );
    expect(reader).toEqual({ id: true, secret: false, schema: true, seq: true });
    const defaults = `SELECT defaclrole::regrole::text AS role, defaclnamespace::regnamespace::text AS schema,
      defaclobjtype::text AS type, defaclacl::text AS acl FROM pg_default_acl ORDER BY 1, 2, 3`;
    const sourceDefaults = (await source.query(defaults)).rows;
    expect(sourceDefaults).toHaveLength(2);
    expect((await withAcl.query(defaults)).rows).toEqual(sourceDefaults);
    expect((await without.query(defaults)).rows).toEqual([]);
  });

  it('names the object when a statement fails, and leaves nothing behind when atomic', async () => {
    const source = await freshDatabase(pg17, 'src fail', [
      'CREATE TABLE "A First" (id int)',
      'CREATE TABLE "Dup Table" (id int)',
    ]);
    const plan = await planSchema(source, {}, { copyOwners: false, copyPrivileges: false });
    const exists = async (client: pg.Client) =>
      (await one<{ t: string | null }>(client, `SELECT to_regclass('public."A First"')::text AS t`)).t !==
      null;
    const failure = {
      code: 'PGSHIFT_SCHEMA_APPLY',
      message: expect.stringContaining('table "public"."Dup Table"'),
    };

    const atomic = await freshDatabase(pg17, 'dst fail atomic', ['CREATE TABLE "Dup Table" (other text)']);
    await expect(applyStatements(atomic, plan.preData, { atomic: true })).rejects.toMatchObject(failure);
    expect(await exists(atomic)).toBe(false);
    expect((await one<{ search_path: string }>(atomic, 'SHOW search_path')).search_path).toBe(
      '"$user", public',
    );

    const stepwise = await freshDatabase(pg17, 'dst fail', ['CREATE TABLE "Dup Table" (other text)']);
    await expect(applyStatements(stepwise, plan.preData)).rejects.toMatchObject(failure);
    expect(await exists(stepwise)).toBe(true);
    expect((await one<{ search_path: string }>(stepwise, 'SHOW search_path')).search_path).toBe(
      '"$user", public',
    );
  });

  it('refuses a target older than the source', async () => {
    const newer = await pg17.client();
    const older = await pg10.client();
    clients.push(newer, older);
    await expect(targetMajorCheck(newer, older)).rejects.toMatchObject({
      code: 'PGSHIFT_TARGET_OLDER',
      remedy: expect.stringContaining('17'),
    });
    await expect(targetMajorCheck(older, newer)).resolves.toEqual({ sourceMajor: 10, targetMajor: 17 });
  });
});
