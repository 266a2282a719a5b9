import {
  applySequences,
  applyStatements,
  formatVerifyReport,
  readSequences,
  type SchemaPlan,
  verifyDatabase,
} from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase, planSchema } from '../src/index.js';
import { opener } from './copy-fixtures.js';
import { loadPagila, PAGILA_DIR, PAGILA_MISSING } from './pagila.js';

// The user's case: pagila without actor and film_actor. Views, functions, the aggregate and the
// types that do not use those tables must come along; the views on them are reported, not made.
const EXCLUDED = new Set(['actor', 'film_actor']);

describe.skipIf(!PAGILA_DIR)(
  `pagila with two tables excluded${PAGILA_DIR ? '' : ` (${PAGILA_MISSING})`}`,
  () => {
    let pg15: SandboxServer;
    let pg17: SandboxServer;
    const clients: pg.Client[] = [];
    let source: pg.Client;
    let tables: { schema: string; name: string }[];
    let plan: SchemaPlan;

    const connect = async (server: SandboxServer, database: string) => {
      const client = await server.client(database);
      clients.push(client);
      return client;
    };
    const names = async (client: pg.Client, sql: string) =>
      (await client.query<{ name: string }>(sql)).rows.map((r) => r.name).sort();
    const relations = (client: pg.Client, kinds: string) =>
      names(
        client,
        `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN (${kinds})`,
      );

    beforeAll(async () => {
      [pg15, pg17] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
      await pg15.query('CREATE DATABASE pagila');
      source = await connect(pg15, 'pagila');
      await loadPagila(source);
      // pagila's sequences are free-standing (pg_dump would keep them too); one owned by a column
      // of an excluded table goes with it.
      await source.query('ALTER SEQUENCE public.actor_actor_id_seq OWNED BY public.actor.actor_id');
      await source.query('ANALYZE');
      const all = await source.query<{ schema: string; name: string }>(
        `SELECT n.nspname AS schema, c.relname AS name FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' ORDER BY 2`,
      );
      tables = all.rows.filter((t) => !EXCLUDED.has(t.name));
      expect(tables).toHaveLength(20);
      plan = await planSchema(source, { tables }, { copyOwners: true, copyPrivileges: true });

      // The loader's order: pre-data, rows (each table's post-data once its rows are in), post-data, sequences.
      await pg17.query('CREATE DATABASE pagila');
      const target = await connect(pg17, 'pagila');
      await applyStatements(target, plan.preData);
      const built = new Set<string>();
      await copyDatabase({
        openSource: opener(pg15, 'pagila'),
        openTarget: opener(pg17, 'pagila'),
        database: 'pagila',
        tables,
        jobs: 2,
        splitTableBytes: 1 << 30,
        onLostSnapshot: 'fail',
        tablePostData: (table, client) => {
          built.add(table);
          return applyStatements(client, plan.tablePostData.get(table) ?? []);
        },
      });
      // The copy builds tables with rows; a partitioned parent's keys are built afterwards.
      for (const [table, statements] of plan.tablePostData)
        if (!built.has(table)) await applyStatements(target, statements);
      await applyStatements(target, plan.postData);
      await applySequences(target, await readSequences(source, plan.sequences));
    });

    afterAll(async () => {
      for (const c of clients) await c.end().catch(() => {});
      await Promise.all([pg15?.stop(), pg17?.stop()]);
    });

    it('creates every view, function, aggregate and type that needs no excluded table', async () => {
      const target = await connect(pg17, 'pagila');
      expect(await relations(target, `'v'`)).toEqual([
        'customer_list',
        'sales_by_film_category',
        'sales_by_store',
        'staff_list',
      ]);
      expect(await relations(target, `'m'`)).toEqual(['rental_by_category']);
      expect(
        await names(
          target,
          `SELECT proname AS name FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
        ),
      ).toEqual([
        '_group_concat',
        'film_in_stock',
        'film_not_in_stock',
        'get_customer_balance',
        'group_concat',
        'inventory_held_by_customer',
        'inventory_in_stock',
        'last_day',
        'last_updated',
        'rewards_report',
      ]);
      const types = `SELECT typname AS name FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('d', 'e')`;
      expect(await names(target, types)).toEqual(['bıgınt', 'mpaa_rating', 'year']);
      // The excluded tables are absent, and so is the sequence a column of theirs owns.
      const tablesAndSequences = await relations(target, `'r', 'p', 'S'`);
      expect(tablesAndSequences.filter((r) => r.startsWith('actor') || r.startsWith('film_actor'))).toEqual(
        [],
      );
      expect(tablesAndSequences).toContain('film_film_id_seq');
      // The kept views work on the copied rows.
      const { rows } = await target.query('SELECT count(*)::int AS n FROM public.customer_list');
      expect(rows[0].n).toBe(599);
      const agg = await target.query(`SELECT public.group_concat(name::text) AS g FROM public.language`);
      expect(agg.rows[0].g).toContain('English');
    });

    it('lists the objects that need an excluded table, and which table', () => {
      const needing = plan.skipped?.filter((s) => s.needs && !s.kind.startsWith('foreign key'));
      expect(needing).toEqual([
        { kind: 'view', name: '"public"."actor_info"', needs: ['"public"."actor"', '"public"."film_actor"'] },
        { kind: 'view', name: '"public"."film_list"', needs: ['"public"."actor"', '"public"."film_actor"'] },
        {
          kind: 'view',
          name: '"public"."nicer_but_slower_film_list"',
          needs: ['"public"."actor"', '"public"."film_actor"'],
        },
      ]);
    });

    it('verifies the selection identical, and only the selection', async () => {
      const report = await verifyDatabase(opener(pg15, 'pagila'), opener(pg17, 'pagila'), 'pagila', tables);
      expect(formatVerifyReport(report)).toContain('result: identical');
      expect(report.schema).toEqual([]);
      expect(report.sequences).toEqual([]);
      expect(report.tables.map((t) => t.table)).not.toContain('"public"."actor"');
      // Compared as a whole database, the same target is missing what was left out.
      const whole = await verifyDatabase(
        opener(pg15, 'pagila'),
        opener(pg17, 'pagila'),
        'pagila',
        undefined,
        {
          rows: false,
        },
      );
      expect(whole.ok).toBe(false);
      expect(whole.schema.filter((d) => d.kind === 'view').map((d) => d.name)).toEqual([
        'view "public"."actor_info"',
        'view "public"."film_list"',
        'view "public"."nicer_but_slower_film_list"',
      ]);
      expect(whole.schema.filter((d) => d.kind === 'table').map((d) => d.name)).toEqual([
        'table "public"."actor"',
        'table "public"."film_actor"',
      ]);
      expect(whole.sequences.map((s) => s.sequence)).toEqual(['"public"."actor_actor_id_seq"']);
    });
  },
);
