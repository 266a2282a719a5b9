import { applyStatements, readSchemaObjects } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySchema, freshDatabase } from './schema-helpers.js';

let pg17: SandboxServer;
let pg10: SandboxServer;
const clients: pg.Client[] = [];

beforeAll(async () => {
  [pg17, pg10] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 10 })]);
  for (const server of [pg17, pg10]) await server.query('CREATE ROLE regress_evt_owner SUPERUSER');
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await Promise.all([pg17?.stop(), pg10?.stop()]);
});

const FIXTURE = [
  'CREATE SCHEMA audit',
  'CREATE TABLE audit.log (tag text, at timestamptz DEFAULT now())',
  `CREATE FUNCTION audit.note() RETURNS event_trigger LANGUAGE plpgsql AS $$
     BEGIN INSERT INTO audit.log (tag) VALUES (tg_tag); END $$`,
  `CREATE FUNCTION audit.refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'no DDL here: %', tg_tag; END $$`,
  // pgshift's own capture on a source lives in its bookkeeping schema and is never copied.
  'CREATE SCHEMA pgshift',
  `CREATE FUNCTION pgshift.capture() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$`,
  'CREATE EVENT TRIGGER pgshift_capture_ddl ON ddl_command_end EXECUTE PROCEDURE pgshift.capture()',
  `CREATE EVENT TRIGGER "Note Tables" ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE PROCEDURE audit.note()`,
  `COMMENT ON EVENT TRIGGER "Note Tables" IS 'tables only'`,
  'ALTER EVENT TRIGGER "Note Tables" OWNER TO regress_evt_owner',
  'CREATE EVENT TRIGGER note_drops ON sql_drop EXECUTE PROCEDURE audit.note()',
  'ALTER EVENT TRIGGER note_drops DISABLE',
  'CREATE EVENT TRIGGER note_replica ON ddl_command_start EXECUTE PROCEDURE audit.note()',
  'ALTER EVENT TRIGGER note_replica ENABLE REPLICA',
  'CREATE EVENT TRIGGER note_always ON ddl_command_end EXECUTE PROCEDURE audit.note()',
  'ALTER EVENT TRIGGER note_always ENABLE ALWAYS',
  // Enabled on the source: had it fired on the target, the owners and grants after it would fail.
  'CREATE EVENT TRIGGER refuse_ddl ON ddl_command_start EXECUTE PROCEDURE audit.refuse()',
];

const STATES = `SELECT e.evtname, e.evtevent, e.evttags, e.evtfoid::regproc::text AS func, e.evtenabled,
    pg_get_userbyid(e.evtowner) AS owner, obj_description(e.oid, 'pg_event_trigger') AS comment
  FROM pg_event_trigger e ORDER BY 1`;

describe('event triggers', () => {
  for (const from of [17, 10] as const) {
    it(`are created ${from} → 17 disabled, last, and enabled as on the source at finish`, async () => {
      const source = await freshDatabase(from === 17 ? pg17 : pg10, `evt src ${from}`, clients, FIXTURE);
      const target = await freshDatabase(pg17, `evt dst ${from}`, clients);
      const plan = await copySchema(source, target, { copyOwners: true, copyPrivileges: true });

      const expected = (await source.query(STATES)).rows.filter((r) => r.evtname !== 'pgshift_capture_ddl');
      expect(expected).toHaveLength(5);
      const copied = (await target.query(STATES)).rows;
      // Every one is there, disabled until the migration finishes.
      expect(copied).toEqual(expected.map((r) => ({ ...r, evtenabled: 'D' })));
      // None fired on what pgshift ran on the target.
      expect((await target.query('SELECT count(*)::int AS n FROM audit.log')).rows).toEqual([{ n: 0 }]);
      expect(await readSchemaObjects(target)).not.toEqual(await readSchemaObjects(source));

      expect(plan.finish?.map((s) => s.sql)).toEqual([
        'ALTER EVENT TRIGGER "Note Tables" ENABLE',
        'ALTER EVENT TRIGGER "note_always" ENABLE ALWAYS',
        'ALTER EVENT TRIGGER "note_replica" ENABLE REPLICA',
        'ALTER EVENT TRIGGER "refuse_ddl" ENABLE',
      ]);
      await applyStatements(target, plan.finish ?? []);
      expect((await target.query(STATES)).rows).toEqual(expected);
      expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
      await expect(target.query('CREATE TABLE audit.t (a int)')).rejects.toThrow(/no DDL here: CREATE TABLE/);
    });
  }
});
