import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPagila, PAGILA_DIR, PAGILA_MISSING } from '../../../../plugins/loader-native/test/pagila.js';
import { runCli } from '../run-cli.js';
import { readState, startCli, tempDir, waitFor } from './support.js';

/** A task config; `objects` is the YAML of the objects block, absent for the whole instance. */
function config(
  dir: ReturnType<typeof tempDir>,
  name: string,
  source: SandboxServer,
  target: SandboxServer,
  mode: string,
  objects?: string,
): string {
  const endpoint = (s: SandboxServer) =>
    `  access: public-ip\n  host: ${s.host}\n  port: ${s.port}\n  user: ${s.user}\n  password: not-needed-with-trust\n`;
  return dir.write(
    `${name}.yaml`,
    `task:\n  name: ${name}\nsource:\n${endpoint(source)}target:\n${endpoint(target)}` +
      (objects ? `objects:\n${objects}` : '') +
      `mode: ${mode}\noptions:\n  jobs: 2\n  stateDir: ${join(dir.dir, `${name}-state`)}\n`,
  );
}

const stateOf = (dir: ReturnType<typeof tempDir>, name: string) =>
  JSON.parse(readFileSync(join(dir.dir, `${name}-state`, 'state.json'), 'utf8'));

const PAGILA_OBJECTS = `  databases: [pagila]\n  exclude: [pagila.public.actor, pagila.public.film_actor]\n`;

describe.skipIf(!PAGILA_DIR)(
  `pagila with two tables excluded, through the CLI${PAGILA_DIR ? '' : ` (${PAGILA_MISSING})`}`,
  () => {
    let source: SandboxServer;
    let target: SandboxServer;
    const dir = tempDir();

    beforeAll(async () => {
      [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
      await source.query('CREATE DATABASE pagila');
      const client = await source.client('pagila');
      try {
        await loadPagila(client);
      } finally {
        await client.end();
      }
    });
    afterAll(async () => {
      await Promise.all([source?.stop(), target?.stop()]);
      dir.cleanup();
    });

    it('follows, finishes with verify identical, and carries the views that need no excluded table', async () => {
      const file = config(dir, 'pagila-sel', source, target, 'full+incremental', PAGILA_OBJECTS);
      const run = startCli(['run', '-c', file]);
      await waitFor(
        'following',
        () => readState(`${dir.dir}/pagila-sel-state`)?.databases.pagila?.phase === 'following',
        120_000,
      );
      await source.query(`INSERT INTO public.language (name) VALUES ('Klingon')`, [], 'pagila');
      const finish = await runCli(['finish', '-c', file]);
      expect(finish.stdout, run.output()).toContain('completed');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('result: identical');
      // The run says what it leaves out, and why.
      expect(run.output()).toMatch(
        /view "public"."actor_info" \(needs "public"."actor", "public"."film_actor"\)/,
      );

      const views = `SELECT relname FROM pg_class WHERE relkind IN ('v', 'm') AND relnamespace = 'public'::regnamespace ORDER BY 1`;
      expect(await target.query(views, [], 'pagila')).toEqual([
        { relname: 'customer_list' },
        { relname: 'rental_by_category' },
        { relname: 'sales_by_film_category' },
        { relname: 'sales_by_store' },
        { relname: 'staff_list' },
      ]);
      const languages = 'SELECT name FROM public.language ORDER BY language_id';
      expect(await target.query(languages, [], 'pagila')).toEqual(
        await source.query(languages, [], 'pagila'),
      );
    });

    it('a finish whose verify finds differences leaves the task failed with a remedy, slots kept', async () => {
      await target.query('DROP DATABASE pagila');
      const file = config(dir, 'pagila-diff', source, target, 'full+incremental', PAGILA_OBJECTS);
      const run = startCli(['run', '-c', file]);
      await waitFor(
        'following',
        () => readState(`${dir.dir}/pagila-diff-state`)?.databases.pagila?.phase === 'following',
        120_000,
      );
      // Something other than pgshift writes to the target.
      await target.query(
        'DELETE FROM public.payment_p2022_01 WHERE payment_id = (SELECT min(payment_id) FROM public.payment_p2022_01)',
        [],
        'pagila',
      );
      const finish = await runCli(['finish', '-c', file]);
      expect(await run.exited).toBe(1);
      expect(finish.code).toBe(1);
      expect(finish.stdout).toContain('failed (stage verifying)');
      expect(finish.stdout).toContain('error[PGSHIFT_VERIFY_FAILED]');
      expect(finish.stdout).toMatch(/remedy: the replication slots are kept/);
      const state = stateOf(dir, 'pagila-diff');
      expect(state.status).toBe('failed');
      expect(state.error.code).toBe('PGSHIFT_VERIFY_FAILED');
      const status = await runCli(['status', '-c', file]);
      expect(status.stdout).toContain('last error: PGSHIFT_VERIFY_FAILED');
      expect(status.stdout).toContain('remedy:');
      expect(await source.query('SELECT slot_name FROM pg_replication_slots', [], 'pagila')).toHaveLength(1);
      // Cancelling lets go of the slot, at once, though no process runs the task.
      const cancel = await runCli(['cancel', '-c', file]);
      expect(cancel.code, cancel.stdout + cancel.stderr).toBe(0);
      expect(cancel.stdout).toContain('no process is running task pagila-diff; cancelling it now');
      expect(cancel.stdout).toContain('cancelled');
      expect(stateOf(dir, 'pagila-diff').status).toBe('cancelled');
      expect(await source.query('SELECT slot_name FROM pg_replication_slots', [], 'pagila')).toEqual([]);
    });
  },
);

describe('the whole instance, schema only, through the CLI', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    for (const sql of [
      `CREATE ROLE shop_owner LOGIN PASSWORD 'owner secret' CREATEDB`,
      'CREATE ROLE shop_readers NOLOGIN',
      'GRANT shop_readers TO shop_owner',
      `ALTER ROLE shop_owner SET work_mem = '32MB'`,
      'CREATE DATABASE shop OWNER shop_owner',
      'REVOKE CONNECT ON DATABASE shop FROM PUBLIC',
      'GRANT CONNECT ON DATABASE shop TO shop_readers',
      `ALTER DATABASE shop SET lock_timeout = '3s'`,
    ])
      await source.query(sql);
    await source.query(
      `CREATE TABLE items (id int PRIMARY KEY, name text);
       INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 500) g;
       CREATE SEQUENCE counter; SELECT setval('counter', 77);
       CREATE VIEW item_names AS SELECT name FROM items;`,
      [],
      'shop',
    );
    // A role the target has already is left as it is.
    await target.query('CREATE ROLE shop_readers LOGIN');
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('creates the roles first, the databases with their owners, grants and settings, and no rows', async () => {
    const file = config(dir, 'instance', source, target, 'schema');
    const run = await runCli(['run', '-c', file]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('result: identical');
    expect(run.stdout + run.stderr).toMatch(
      /roles already on the target, left as they are: [^\n]*shop_readers/,
    );

    const role = `SELECT rolname, rolcanlogin, rolcreatedb, rolpassword FROM pg_authid WHERE rolname = 'shop_owner'`;
    expect(await target.query(role)).toEqual(await source.query(role));
    expect(await target.query(`SELECT rolcanlogin FROM pg_roles WHERE rolname = 'shop_readers'`)).toEqual([
      { rolcanlogin: true },
    ]);
    const member = `SELECT pg_has_role('shop_owner', 'shop_readers', 'MEMBER') AS m`;
    expect(await target.query(member)).toEqual([{ m: true }]);
    const settings = `SELECT coalesce(r.rolname, '') AS r, coalesce(d.datname, '') AS d, s.setconfig
      FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase
      ORDER BY 1, 2`;
    expect(await target.query(settings)).toEqual(await source.query(settings));
    const database = `SELECT pg_get_userbyid(datdba) AS owner, ARRAY(SELECT a::text FROM unnest(datacl) a ORDER BY 1)::text AS acl FROM pg_database WHERE datname = 'shop'`;
    expect(await target.query(database)).toEqual(await source.query(database));
    expect((await target.query(database))[0]?.owner).toBe('shop_owner');

    // The schema alone: the table and view are there, empty; the sequence is at its start.
    expect(await target.query('SELECT count(*)::int AS n FROM items', [], 'shop')).toEqual([{ n: 0 }]);
    expect(await target.query('SELECT count(*)::int AS n FROM item_names', [], 'shop')).toEqual([{ n: 0 }]);
    expect(await target.query('SELECT last_value::int AS v FROM counter', [], 'shop')).toEqual([{ v: 1 }]);
    expect(await source.query('SELECT slot_name FROM pg_replication_slots', [], 'shop')).toEqual([]);
    expect(stateOf(dir, 'instance').status).toBe('completed');
  });
});
