import { type ConformanceServers, describeChecker } from '@pgshift/conformance';
import { planSchema } from '@pgshift/loader-native';
import { openClient, type SkippedObject } from '@pgshift/pg';
import type { CheckResult } from '@pgshift/plugin-api';
import type { SandboxServer } from '@pgshift/sandbox';
import { expect } from 'vitest';
import plugin from '../src/index.js';

/**
 * Objects the schema copy has left out, or left out in part: kinds it once skipped entirely (kept
 * here as long as any still is), a user mapping whose options a non-superuser source role may not
 * read, and a child table whose inherited columns end up after its own (their inherited-only
 * flags need a superuser on the target). Which of them the plan lists changes as the copy grows;
 * the arrangements ask the plan and hold the check to exactly its list.
 */
const NOT_COPIED = `
  CREATE FOREIGN DATA WRAPPER shop_fdw;
  CREATE SERVER remote_shop FOREIGN DATA WRAPPER shop_fdw;
  CREATE FOREIGN TABLE public.remote_items (id int) SERVER remote_shop;
  CREATE USER MAPPING FOR PUBLIC SERVER remote_shop OPTIONS (user 'shop', password 'not-for-the-report');
  CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
  CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE PROCEDURE public.log_ddl();
  CREATE PUBLICATION shop_changes;
  CREATE TABLE public.stock (sku text);
  CREATE TABLE public.stock_2024 (note text) INHERITS (public.stock);
  ALTER TABLE public.stock ADD COLUMN amount int;`;

/** The source role of the warn and fail arrangements: no superuser, like most managed sources. */
const SOURCE_USER = 'shop_reader';

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
  const client = await openClient({ ...server.connection(), user: SOURCE_USER, database });
  try {
    const plan = await planSchema(client, {}, { copyOwners: false, copyPrivileges: false });
    const found = plan.skipped ?? [];
    expect(
      found.length,
      'the plan skips nothing in NOT_COPIED any more; add objects it still leaves out',
    ).toBeGreaterThan(0);
    skippedIn.set(database, found);
    return found;
  } finally {
    await client.end();
  }
}

/**
 * Each object the plan leaves out is named, with its kind; what it leaves out only for a target
 * session that is not a superuser is not, since the arrangements' target session is one.
 */
function expectNamed(item: CheckResult | undefined, o: SkippedObject, database: string): void {
  const named = `${o.kind} ${o.name} in ${database}`;
  if (o.kind.endsWith('(set only when the target session is a superuser)'))
    expect(item?.message).not.toContain(named);
  else expect(item?.message).toContain(named);
}

/** The suite's major as the source, always a PostgreSQL 17 target. */
async function servers(s: ConformanceServers) {
  const source = await s.server('source');
  await s.role(source, SOURCE_USER, 'LOGIN');
  return { source, target: await s.server('target', { major: 17 }) };
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
        return s.context({
          source,
          target,
          sourceUser: SOURCE_USER,
          databases: ['allowed'],
          options: { allowSkipped: kinds },
        });
      },
      fail: async (s) => {
        const { source, target } = await servers(s);
        await s.database(source, 'refused', `${CLEAN}${NOT_COPIED}${SOURCE_ONLY_CODE}`);
        await skipped(source, 'refused');
        return s.context({ source, target, sourceUser: SOURCE_USER, databases: ['refused'] });
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
        for (const o of skippedIn.get('allowed') ?? []) expectNamed(item, o, 'allowed');
        expect(item?.message).toMatch(/allowed by allowSkipped/);
      },
      fail: (results) => {
        const objects = results.find((r) => r.id === 'source.schema-objects');
        expect(objects?.status).toBe('failed');
        for (const o of skippedIn.get('refused') ?? []) expectNamed(objects, o, 'refused');
        const libraries = results.find((r) => r.id === 'target.function-libraries');
        expect(libraries?.status).toBe('failed');
        expect(libraries?.message).toContain(
          'could not access file "$libdir/pgshift_legacy_hash": No such file or directory (58P01), for public.legacy_hash(cstring) in refused',
        );
        expect(libraries?.message).toContain(
          'there is no built-in function named "pgshift_no_such_builtin" (42883), for public.legacy_parse(cstring) in refused',
        );
        expect(libraries?.message).not.toMatch(/parse_pairs|parse_int/);
        expect(libraries?.remedy).toContain('DROP FUNCTION public.legacy_hash(cstring);');
        expect(JSON.stringify(results)).not.toContain('not-for-the-report');
      },
    },
  },
  { majors: [15, 17] },
);
