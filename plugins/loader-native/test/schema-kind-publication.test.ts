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
  for (const server of [pg17, pg10]) await server.query('CREATE ROLE regress_pub_owner SUPERUSER');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

const TABLES = [
  'CREATE SCHEMA shop',
  'CREATE TABLE shop.customers (id int PRIMARY KEY, name text)',
  'CREATE TABLE shop.orders (id int PRIMARY KEY, total numeric, note text)',
  'CREATE TABLE shop.parent (id int PRIMARY KEY)',
  'CREATE TABLE shop.child (extra int) INHERITS (shop.parent)',
];

/** What makes a publication, as a superuser reads it on either major (`modern`: 15+). */
function facts(modern: boolean): string {
  return `SELECT p.pubname, pg_get_userbyid(p.pubowner) AS owner, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete,
      ${modern ? 'p.pubtruncate, p.pubviaroot' : 'false AS pubtruncate, false AS pubviaroot'},
      obj_description(p.oid, 'pg_publication') AS comment,
      (SELECT string_agg(${modern ? `format('%s %s %s', r.prrelid::regclass, r.prattrs, pg_get_expr(r.prqual, r.prrelid))` : 'r.prrelid::regclass::text'}, '; ' ORDER BY r.prrelid::regclass::text)
         FROM pg_publication_rel r WHERE r.prpubid = p.oid) AS tables
      ${modern ? ", (SELECT string_agg(n.pnnspid::regnamespace::text, '; ') FROM pg_publication_namespace n WHERE n.pnpubid = p.oid) AS schemas" : ''}
    FROM pg_publication p ORDER BY 1`;
}

describe('publications', () => {
  it('are copied 17 → 17 only with copyPublications, and never pgshift’s own', async () => {
    const fixture = [
      ...TABLES,
      'CREATE SCHEMA audit',
      'CREATE TABLE audit.log (line text)',
      'CREATE TABLE shop.events (id int, at date) PARTITION BY RANGE (at)',
      `CREATE TABLE shop.events_2024 PARTITION OF shop.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
      `CREATE PUBLICATION everything FOR ALL TABLES WITH (publish = 'insert, update')`,
      `CREATE PUBLICATION "Some Tables" FOR TABLE shop.orders (id, total) WHERE (total > 0), shop.customers, shop.events
         WITH (publish_via_partition_root = true)`,
      'CREATE PUBLICATION audit_schema FOR TABLES IN SCHEMA audit, shop',
      `COMMENT ON PUBLICATION "Some Tables" IS 'what the warehouse reads'`,
      'ALTER PUBLICATION "Some Tables" OWNER TO regress_pub_owner',
      'CREATE PUBLICATION family FOR TABLE shop.parent',
      `CREATE PUBLICATION nothing WITH (publish = '')`,
      // What pgshift makes on a source to follow it.
      'CREATE PUBLICATION pgshift_shop_move_0123456789 FOR ALL TABLES',
    ];
    const source = await freshDatabase(pg17, 'pub src', clients, fixture);
    const without = await freshDatabase(pg17, 'pub dst off', clients);
    await copySchema(source, without, { copyOwners: true });
    expect((await without.query('SELECT pubname FROM pg_publication')).rows).toEqual([]);
    // Not copied, so not compared either.
    expect(await readSchemaObjects(without)).toEqual(await readSchemaObjects(source));

    const target = await freshDatabase(pg17, 'pub dst on', clients);
    const plan = await copySchema(source, target, { copyOwners: true, copyPublications: true });
    const expected = (await source.query(facts(true))).rows.filter((r) => !r.pubname.startsWith('pgshift_'));
    expect(expected.map((r) => r.pubname)).toEqual([
      'Some Tables',
      'audit_schema',
      'everything',
      'family',
      'nothing',
    ]);
    // shop.child is a member of family by inheritance, as on the source.
    expect(expected.find((r) => r.pubname === 'family')?.tables).toBe('shop.child  ; shop.parent  ');
    expect((await target.query(facts(true))).rows).toEqual(expected);
    expect(plan.postData.some((s) => s.sql.includes('pgshift_shop_move'))).toBe(false);
    const options = { copyPublications: true };
    const objects = await readSchemaObjects(source, {}, options);
    expect(objects.filter((o) => o.kind === 'publication')).toHaveLength(5);
    expect(await readSchemaObjects(target, {}, options)).toEqual(objects);
  });

  it('are copied 10 → 17 with the actions the source publishes (10 has no truncate)', async () => {
    const source = await freshDatabase(pg10, 'pub src 10', clients, [
      ...TABLES,
      'CREATE PUBLICATION defaults FOR TABLE shop.orders, shop.parent',
      `CREATE PUBLICATION inserts FOR ALL TABLES WITH (publish = 'insert')`,
      `COMMENT ON PUBLICATION inserts IS 'inserts only'`,
    ]);
    const target = await freshDatabase(pg17, 'pub dst 10', clients);
    await copySchema(source, target, { copyPublications: true });
    const expected = (await source.query(facts(false))).rows;
    expect(expected).toHaveLength(2);
    const copied = (await target.query(facts(false))).rows;
    expect(copied).toEqual(expected);
    expect((await target.query(`SELECT pubtruncate FROM pg_publication`)).rows).toEqual([
      { pubtruncate: false },
      { pubtruncate: false },
    ]);
    const options = { copyPublications: true };
    expect(await readSchemaObjects(target, {}, options)).toEqual(
      await readSchemaObjects(source, {}, options),
    );
  });
});
