import { readSchemaObjects, type SchemaPlan, tableKey } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema } from '../src/index.js';
import { BASE_FIXTURE, MODERN_FIXTURE } from './schema-fixture.js';
import { applyPlan, freshDatabase } from './schema-helpers.js';

// 13 and 15 also exercise the catalog switches between 10 and 17 (prokind, tgparentid, ICU columns).
let pg13: SandboxServer;
let pg15: SandboxServer;
const clients: pg.Client[] = [];
let source: pg.Client;
const options = { copyOwners: false, copyPrivileges: false };

beforeAll(async () => {
  [pg13, pg15] = await Promise.all([startPostgres({ major: 13 }), startPostgres({ major: 15 })]);
  source = await freshDatabase(pg15, 'source', clients, [...BASE_FIXTURE, ...MODERN_FIXTURE]);
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg13?.stop(), pg15?.stop()]);
});

const created = (plan: SchemaPlan) =>
  plan.preData.map((s) => s.description).filter((d) => !d.startsWith('comment'));

describe('schema copy of selected tables', () => {
  it('brings what the tables need and every object that needs no other table', async () => {
    const plan = await planSchema(
      source,
      { tables: [{ schema: 'Shop Floor', name: 'Order Items' }] },
      options,
    );
    const objects = created(plan);
    // Object kinds beyond these (operators, text search, ...) come along too when they need no
    // other table; the list names those of the fixture that matter here.
    expect(objects).toEqual(
      expect.arrayContaining([
        'schema "Shop Floor"',
        'schema "public"',
        'schema "select"',
        'extension "citext"',
        'collation "Shop Floor"."Deutsch"',
        'collation "public"."posix copy"',
        'domain "select"."Order Code"',
        'composite type "Shop Floor"."Address"',
        'enum type "Shop Floor"."Order Status"',
        'domain "Shop Floor"."Positive Money"',
        'range type "Shop Floor"."float range"',
        'function "Shop Floor"."is even"(n integer)',
        'sequence "Shop Floor"."Code Seq"',
        'table "Shop Floor"."Order Items"',
        // Needing no table outside the selection, these come along too.
        'aggregate "public"."Sum Sq"(numeric)',
        'aggregate "public"."row count"(*)',
        'collation "public"."case insensitive"',
        'extension "btree_gist"',
        'function "public"."audit"()',
        'function "public"."count events"()',
        'function "public"."dog insert"()',
        'function "public"."same"(a integer, b integer)',
        'function "public"."sum sq step"(s numeric, x numeric)',
        'function "public"."unrelated fn"()',
        'function "ünï ""quoted"""."fn"(a text, b "Shop Floor"."Order Status")',
        'materialized view "public"."item stats"',
        'procedure "public"."do thing"(IN n integer)',
        'schema "ünï ""quoted"""',
        'sequence "public"."count down"',
        'view "public"."agg view"',
        'view "select"."paid count"',
        'view "select"."paid items"',
      ]),
    );
    // Only the selected table, and nothing that needs one of the others.
    expect(objects.filter((d) => d.startsWith('table'))).toEqual(['table "Shop Floor"."Order Items"']);
    const leftOut = (plan.skipped ?? []).filter((k) => k.needs).map((k) => `${k.kind} ${k.name}`);
    expect(leftOut).toEqual(
      expect.arrayContaining([
        'view "public"."unrelated view"',
        'view "public"."dog names"',
        'view "public"."writable dogs"',
      ]),
    );
    expect(objects.filter((d) => leftOut.includes(d))).toEqual([]);
    const before = (a: string, b: string) => expect(objects.indexOf(a)).toBeLessThan(objects.indexOf(b));
    before('schema "select"', 'domain "select"."Order Code"');
    before('domain "select"."Order Code"', 'composite type "Shop Floor"."Address"');
    before('extension "citext"', 'table "Shop Floor"."Order Items"');
    before('function "Shop Floor"."is even"(n integer)', 'table "Shop Floor"."Order Items"');
    before('sequence "Shop Floor"."Code Seq"', 'table "Shop Floor"."Order Items"');
    expect([...plan.tablePostData.keys()]).toEqual([tableKey('Shop Floor', 'Order Items')]);
    expect(plan.sequences).toEqual([
      { schema: 'Shop Floor', name: 'Code Seq' },
      { schema: 'Shop Floor', name: 'Order Items_ID_seq' },
      { schema: 'public', name: 'count down' },
    ]);
    expect(plan.materializedViews).toEqual([{ schema: 'public', name: 'item stats' }]);
    // The FK of "select"."order" and the views on other tables stay behind with their tables.
    expect(plan.postData.map((s) => s.description)).toEqual([
      'constraint "qty small" on "Shop Floor"."Order Items"',
      'statistics "public"."items stats"',
      'data of materialized view "public"."item stats"',
      'index "public"."item stats status" on "public"."item stats"',
      'comment on index "Shop Floor"."items by status"',
    ]);

    const target = await freshDatabase(pg15, 'target items', clients);
    await applyPlan(target, plan);
    // What the selection copied is all there; readSchemaObjects narrowed the same way agrees.
    const selection = { tables: [{ schema: 'Shop Floor', name: 'Order Items' }] };
    const targetObjects = await readSchemaObjects(target);
    expect(targetObjects).toEqual(await readSchemaObjects(source, selection));
    expect(await readSchemaObjects(target, selection)).toEqual(targetObjects);
    expect(targetObjects.filter((o) => o.table === 'Order Items').length).toBeGreaterThan(15);
    expect(targetObjects.filter((o) => o.name.includes('unrelated')).map((o) => o.kind)).toEqual([
      'function',
    ]);
  });

  it('takes a selected partitioned table with its partitions, and a partition with its ancestors', async () => {
    const hashed = await planSchema(source, { tables: [{ schema: 'public', name: 'hashed' }] }, options);
    expect([...hashed.tablePostData.keys()].sort()).toEqual(
      [tableKey('public', 'hashed'), tableKey('public', 'hashed 0'), tableKey('public', 'hashed 1')].sort(),
    );
    expect(hashed.postData.map((s) => s.description)).toEqual([
      'attachment of index "public"."hashed 0_pkey" to "public"."hashed_pkey"',
      'attachment of index "public"."hashed 1_pkey" to "public"."hashed_pkey"',
    ]);

    const leaf = await planSchema(source, { tables: [{ schema: 'public', name: 'events 2025 a' }] }, options);
    expect(created(leaf).filter((d) => d.startsWith('table'))).toEqual([
      'table "public"."events"',
      'table "public"."events 2025"',
      'table "public"."events 2025 a"',
    ]);
    const target = await freshDatabase(pg15, 'target leaf', clients);
    await applyPlan(target, leaf);
    await target.query(`INSERT INTO public.events (id, at, kind) VALUES (1, '2025-05-05', 'a')`);
    const { rows } = await target.query('SELECT tableoid::regclass::text AS t, kind FROM public.events');
    expect(rows).toEqual([{ t: '"events 2025 a"', kind: 'a' }]);
  });

  it('leaves out a foreign key whose referenced table is not selected', async () => {
    const plan = await planSchema(source, { tables: [{ schema: 'public', name: 'hash ref' }] }, options);
    expect(created(plan).filter((d) => d.startsWith('table'))).toEqual(['table "public"."hash ref"']);
    expect(plan.postData.filter((s) => s.description.includes('"to hashed"'))).toEqual([]);
    expect(plan.skipped).toContainEqual({
      kind: 'foreign key to a table outside the selection',
      name: '"to hashed" on "public"."hash ref"',
      needs: ['"public"."hashed"'],
    });
  });

  it('refuses a table the source does not have', async () => {
    await expect(
      planSchema(source, { tables: [{ schema: 'public', name: 'Unrelated' }] }, options),
    ).rejects.toMatchObject({
      code: 'PGSHIFT_SCHEMA_UNKNOWN_TABLE',
      message: expect.stringContaining('"public"."Unrelated"'),
    });
  });

  it('recreates a PostgreSQL 13 schema on 15', async () => {
    const old = await freshDatabase(pg13, 'source 13', clients, [...BASE_FIXTURE, ...MODERN_FIXTURE]);
    const target = await freshDatabase(pg15, 'target from 13', clients);
    await applyPlan(target, await planSchema(old, {}, options));
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(old));
  });
});
