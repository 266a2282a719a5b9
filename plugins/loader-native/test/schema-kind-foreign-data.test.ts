import { applyStatements, readSchemaObjects, type SchemaPlan } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema } from '../src/index.js';
import { copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];
const SECRET = 'S3cr3t-pw-9f2c';

beforeAll(async () => {
  [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
  for (const server of [pg17, pg10])
    await server.query('CREATE ROLE regress_fdw_user; CREATE ROLE regress_fdw_reader LOGIN');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

const FIXTURE = [
  'CREATE FOREIGN DATA WRAPPER w',
  `CREATE FOREIGN DATA WRAPPER "W two" OPTIONS (debug 'true', "api key" 'k-123')`,
  `COMMENT ON FOREIGN DATA WRAPPER "W two" IS 'second wrapper'`,
  'GRANT USAGE ON FOREIGN DATA WRAPPER w TO regress_fdw_user',
  `CREATE SERVER s TYPE 'oracle' VERSION '11.2' FOREIGN DATA WRAPPER w OPTIONS (host 'db.example', port '1521')`,
  `COMMENT ON SERVER s IS 'the remote'`,
  'CREATE SERVER "Plain" FOREIGN DATA WRAPPER "W two"',
  'GRANT USAGE ON FOREIGN SERVER s TO regress_fdw_user WITH GRANT OPTION',
  'GRANT USAGE ON FOREIGN SERVER "Plain" TO regress_fdw_reader',
  `CREATE USER MAPPING FOR regress_fdw_user SERVER s OPTIONS (user 'remote', password '${SECRET}')`,
  'CREATE USER MAPPING FOR PUBLIC SERVER "Plain"',
  `CREATE USER MAPPING FOR regress_fdw_reader SERVER "Plain" OPTIONS (user 'reader')`,
  'CREATE SCHEMA "Remote"',
  `CREATE FOREIGN TABLE "Remote".items (
     id int OPTIONS (column_name 'item_id') NOT NULL,
     "Label" text COLLATE "C" DEFAULT 'none',
     CONSTRAINT positive CHECK (id > 0)
   ) SERVER s OPTIONS (schema_name 'public', table_name 'items')`,
  `COMMENT ON FOREIGN TABLE "Remote".items IS 'items over there'`,
  `COMMENT ON COLUMN "Remote".items."Label" IS 'a label'`,
  'GRANT SELECT ON "Remote".items TO regress_fdw_user',
  'CREATE TABLE "Remote".base (id int NOT NULL, note text)',
  'CREATE FOREIGN TABLE "Remote".child (extra int) INHERITS ("Remote".base) SERVER "Plain"',
  `ALTER FOREIGN TABLE "Remote".child ALTER COLUMN note OPTIONS (ADD column_name 'n')`,
  'CREATE VIEW "Remote".labels AS SELECT "Label" FROM "Remote".items',
  'INSERT INTO "Remote".base VALUES (1, \'local row\')',
];

/** What the target must hold, read from the catalogs as a superuser (who sees every option). */
const FACTS = {
  wrappers: `SELECT w.fdwname, w.fdwhandler::regproc::text AS handler, w.fdwvalidator::regproc::text AS validator,
      w.fdwoptions, w.fdwacl::text[] AS acl, obj_description(w.oid, 'pg_foreign_data_wrapper') AS comment
    FROM pg_foreign_data_wrapper w WHERE w.oid >= 16384 ORDER BY 1`,
  servers: `SELECT s.srvname, s.srvtype, s.srvversion, s.srvoptions, w.fdwname, s.srvacl::text[] AS acl,
      obj_description(s.oid, 'pg_foreign_server') AS comment
    FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw ORDER BY 1`,
  mappings: `SELECT srvname, usename, umoptions FROM pg_user_mappings ORDER BY 1, 2`,
  // The owner's own entry differs across majors (17 added MAINTAIN).
  tables: `SELECT c.relname, s.srvname, ft.ftoptions,
      ARRAY(SELECT x FROM unnest(c.relacl::text[]) x WHERE x NOT LIKE 'postgres=%') AS acl, obj_description(c.oid, 'pg_class') AS comment,
      (SELECT json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attislocal,
         a.attfdwoptions, pg_get_expr(d.adbin, d.adrelid), col_description(c.oid, a.attnum)) ORDER BY a.attnum)
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = c.oid AND a.attnum > 0)::text AS columns,
      (SELECT string_agg(pg_get_constraintdef(k.oid), '; ') FROM pg_constraint k WHERE k.conrelid = c.oid) AS checks,
      (SELECT string_agg(i.inhparent::regclass::text, ', ') FROM pg_inherits i WHERE i.inhrelid = c.oid) AS parents
    FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid JOIN pg_foreign_server s ON s.oid = ft.ftserver
    ORDER BY 1`,
};

async function facts(client: pg.Client): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(FACTS)) out[name] = (await client.query(sql)).rows;
  return out;
}

function statementsOf(plan: SchemaPlan) {
  return [...plan.preData, ...[...plan.tablePostData.values()].flat(), ...plan.postData];
}

describe('foreign-data wrappers, servers, user mappings and foreign tables', () => {
  for (const from of [17, 10] as const) {
    it(`are recreated ${from} → 17 with options, owners, grants and comments; passwords only in the DDL`, async () => {
      const sourceServer = from === 17 ? pg17 : pg10;
      const source = await freshDatabase(sourceServer, `fdw src ${from}`, clients, FIXTURE);
      const target = await freshDatabase(pg17, `fdw dst ${from}`, clients);
      const plan = await copySchema(source, target, { copyOwners: true, copyPrivileges: true });

      const expected = await facts(source);
      expect(expected.wrappers).toHaveLength(2);
      expect(expected.mappings).toHaveLength(3);
      expect(expected.tables).toHaveLength(2);
      expect(await facts(target)).toEqual(expected);
      // The password is on the target...
      const [mapping] = (
        await target.query(`SELECT umoptions FROM pg_user_mappings WHERE usename = 'regress_fdw_user'`)
      ).rows;
      expect(mapping.umoptions).toContain(`password=${SECRET}`);
      // ...and nowhere but in the statement that put it there.
      const withSecret = statementsOf(plan).filter((s) => s.sql.includes(SECRET));
      expect(withSecret).toHaveLength(1);
      expect(withSecret[0]?.sensitive).toBe(true);
      for (const s of statementsOf(plan)) expect(s.description).not.toContain(SECRET);
      expect(JSON.stringify(plan.skipped)).not.toContain(SECRET);
      // A wrapper's secret-looking option is redacted in what verify compares, too.
      const objects = await readSchemaObjects(source);
      expect(JSON.stringify(objects)).not.toContain(SECRET);
      expect(JSON.stringify(objects)).not.toContain('k-123');
      expect(objects.filter((o) => o.kind === 'user mapping').map((o) => o.name)).toEqual([
        'for PUBLIC server "Plain"',
        'for regress_fdw_reader server "Plain"',
        'for regress_fdw_user server s',
      ]);
      expect(objects.some((o) => o.kind === 'foreign table' && o.name === 'items')).toBe(true);
      expect(await readSchemaObjects(target)).toEqual(objects);
      // Foreign tables hold no rows to copy: the plan builds nothing after data for them.
      expect([...plan.tablePostData.keys()]).toEqual(['"Remote"."base"']);
      expect(plan.skipped).toEqual([]);
    });
  }

  it('names a failing user mapping by its description, never by its password', async () => {
    await pg10.query('CREATE ROLE regress_only_on_10');
    const source = await freshDatabase(pg10, 'fdw fail src', clients, [
      'CREATE FOREIGN DATA WRAPPER w',
      'CREATE SERVER s FOREIGN DATA WRAPPER w',
      `CREATE USER MAPPING FOR regress_only_on_10 SERVER s OPTIONS (password '${SECRET}')`,
    ]);
    const target = await freshDatabase(pg17, 'fdw fail dst', clients);
    const plan = await planSchema(source, {}, { copyOwners: false, copyPrivileges: false });
    const error = await applyStatements(target, plan.preData).then(
      () => undefined,
      (e: unknown) => e as Error & { details?: unknown },
    );
    expect(error?.message).toContain('user mapping for regress_only_on_10 server s');
    expect(`${error?.message} ${JSON.stringify(error?.details)} ${error?.stack}`).not.toContain(SECRET);
  });

  it('reads mappings as a non-superuser: options it may not see are listed in skipped', async () => {
    const source = await freshDatabase(pg17, 'fdw reader src', clients, FIXTURE);
    const reader = new pg.Client({ ...pg17.connection('fdw reader src'), user: 'regress_fdw_reader' });
    await reader.connect();
    clients.push(reader);
    const plan = await planSchema(reader, {}, { copyOwners: false, copyPrivileges: false });
    expect(plan.skipped).toEqual([
      { kind: 'options of user mapping (only a superuser may read them)', name: 'for PUBLIC server "Plain"' },
      {
        kind: 'options of user mapping (only a superuser may read them)',
        name: 'for regress_fdw_user server s',
      },
    ]);
    // Its own mapping's options it sees, and copies.
    expect(plan.preData.map((s) => s.sql)).toContain(
      `CREATE USER MAPPING FOR "regress_fdw_reader" SERVER "Plain" OPTIONS ("user" 'reader')`,
    );
    expect(JSON.stringify(plan)).not.toContain(SECRET);
    await source.query('SELECT 1');
  });

  it('leaves an extension’s wrapper to CREATE EXTENSION and copies the servers on it', async () => {
    const available = await pg17.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'postgres_fdw'`);
    if (available.length === 0) return;
    const source = await freshDatabase(pg17, 'pgfdw src', clients, [
      'CREATE EXTENSION postgres_fdw',
      `CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'localhost', dbname 'shop')`,
      `CREATE USER MAPPING FOR CURRENT_USER SERVER remote OPTIONS (user 'app', password '${SECRET}')`,
      `CREATE FOREIGN TABLE orders (id bigint OPTIONS (column_name 'order_id')) SERVER remote OPTIONS (table_name 'orders')`,
    ]);
    const target = await freshDatabase(pg17, 'pgfdw dst', clients);
    const plan = await copySchema(source, target);
    expect(plan.preData.filter((s) => s.sql.includes('FOREIGN DATA WRAPPER "postgres_fdw"'))).toHaveLength(1);
    expect(plan.preData.some((s) => s.sql.startsWith('CREATE FOREIGN DATA WRAPPER'))).toBe(false);
    expect(await facts(target)).toEqual(await facts(source));
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
  });
});
