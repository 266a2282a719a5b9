import { type ConformanceServers, describeChecker } from '@pgshift/conformance';
import { planSchema, type SkippedObject } from '@pgshift/pg';
import type { SandboxServer } from '@pgshift/sandbox';
import { expect } from 'vitest';
import plugin from '../src/index.js';

/** Objects of kinds the schema copy has left out (see `unsupported` in catalog.ts). */
const NOT_COPIED = `
  CREATE FOREIGN DATA WRAPPER shop_fdw;
  CREATE SERVER remote_shop FOREIGN DATA WRAPPER shop_fdw;
  CREATE FOREIGN TABLE public.remote_items (id int) SERVER remote_shop;
  CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
  CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE PROCEDURE public.log_ddl();
  CREATE PUBLICATION shop_changes;`;

/** A table, a view, an SQL function and functions whose code both servers have. */
const CLEAN = `
  CREATE TABLE public.items (id int PRIMARY KEY, name text);
  CREATE VIEW public.item_names AS SELECT name FROM public.items;
  CREATE FUNCTION public.item_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM public.items';
  CREATE FUNCTION public.parse_pairs(cstring) RETURNS cstring LANGUAGE c AS '$libdir/hstore', 'hstore_in';
  CREATE FUNCTION public.parse_int(cstring) RETURNS integer LANGUAGE internal AS 'int4in';`;

/** C and internal functions whose library or symbol only the source has. */
const SOURCE_ONLY_CODE = `
  CREATE FUNCTION public.legacy_hash(cstring) RETURNS cstring LANGUAGE c AS '$libdir/hstore', 'hstore_in';
  UPDATE pg_catalog.pg_proc SET probin = '$libdir/pgshift_legacy_hash' WHERE proname = 'legacy_hash';
  CREATE FUNCTION public.legacy_parse(cstring) RETURNS integer LANGUAGE internal AS 'int4in';
  UPDATE pg_catalog.pg_proc SET prosrc = 'pgshift_no_such_builtin' WHERE proname = 'legacy_parse';`;

/** What the plan leaves out in a database, as the check must name it. */
const skippedIn = new Map<string, SkippedObject[]>();

async function skipped(server: SandboxServer, database: string): Promise<SkippedObject[]> {
  const client = await server.client(database);
  try {
    const plan = await planSchema(client, {}, { copyOwners: false, copyPrivileges: false });
    const found = plan.skipped ?? [];
    expect(
      found.length,
      'the plan skips none of the kinds in NOT_COPIED any more; use kinds it still skips',
    ).toBeGreaterThan(0);
    skippedIn.set(database, found);
    return found;
  } finally {
    await client.end();
  }
}

/** The suite's major as the source, always a PostgreSQL 17 target. */
async function servers(s: ConformanceServers) {
  return { source: await s.server('source'), target: await s.server('target', { major: 17 }) };
}

describeChecker(
  {
    plugin,
    arrange: {
      pass: async (s) => {
        const { source, target } = await servers(s);
        await s.database(source, 'clean', CLEAN);
        return s.context({ source, target, databases: ['clean'] });
      },
      warn: async (s) => {
        const { source, target } = await servers(s);
        await s.database(source, 'allowed', `${CLEAN}${NOT_COPIED}`);
        const kinds = [...new Set((await skipped(source, 'allowed')).map((o) => o.kind.toUpperCase()))];
        return s.context({ source, target, databases: ['allowed'], options: { allowSkipped: kinds } });
      },
      fail: async (s) => {
        const { source, target } = await servers(s);
        await s.database(source, 'refused', `${CLEAN}${NOT_COPIED}${SOURCE_ONLY_CODE}`);
        await skipped(source, 'refused');
        return s.context({ source, target, databases: ['refused'] });
      },
    },
    verify: {
      pass: (results) => {
        expect(results.map((r) => `${r.id} ${r.status}`)).toEqual([
          'source.schema-objects pass',
          'target.major-compatibility pass',
          'target.function-libraries pass',
        ]);
        expect(results[2]?.message).toMatch(/loads the code of all 2 C-language and internal functions/);
      },
      warn: (results) => {
        const item = results.find((r) => r.id === 'source.schema-objects');
        expect(item?.status).toBe('warning');
        for (const o of skippedIn.get('allowed') ?? [])
          expect(item?.message).toContain(`${o.kind} ${o.name} in allowed`);
        expect(item?.message).toMatch(/allowed by allowSkipped/);
      },
      fail: (results) => {
        const objects = results.find((r) => r.id === 'source.schema-objects');
        expect(objects?.status).toBe('failed');
        for (const o of skippedIn.get('refused') ?? []) {
          expect(objects?.message).toContain(`${o.kind} ${o.name} in refused`);
          expect(objects?.remedy).toContain(JSON.stringify(o.kind));
        }
        const libraries = results.find((r) => r.id === 'target.function-libraries');
        expect(libraries?.status).toBe('failed');
        expect(libraries?.message).toMatch(
          /public\.legacy_hash\(cstring\) in refused \(\$libdir\/pgshift_legacy_hash, symbol hstore_in\): could not access file/,
        );
        expect(libraries?.message).toMatch(
          /public\.legacy_parse\(cstring\) in refused \(internal pgshift_no_such_builtin\)/,
        );
        expect(libraries?.message).not.toMatch(/parse_pairs|parse_int/);
        expect(libraries?.remedy).toContain('DROP FUNCTION public.legacy_hash(cstring);');
      },
    },
  },
  { majors: [15, 17] },
);
