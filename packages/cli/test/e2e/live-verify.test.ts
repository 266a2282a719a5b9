import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxServer, sourceBuiltBinaries, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { startCli, tableFingerprints, tempDir, waitFor, writeConfig } from './support.js';
import { startTransactionLoop } from './workload.js';

/** 120,000 rows: three key ranges of about 50,000, so differences are located to one of them. */
const SETUP = `
  CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL);
  INSERT INTO items SELECT g, 'item ' || g, g % 50 FROM generate_series(1, 120000) g;
  CREATE TABLE pairs (a int, b text, v numeric, PRIMARY KEY (a, b));
  INSERT INTO pairs SELECT g % 100, 'k' || g, g * 1.5 FROM generate_series(1, 1000) g;
  CREATE TABLE log (at timestamptz, msg text);
  ALTER TABLE log REPLICA IDENTITY FULL;
  CREATE SCHEMA side;
  CREATE TABLE side.notes (id int PRIMARY KEY);
  ANALYZE;`;

/**
 * Changes the source all the time, never touching the rows the test changes behind pgshift's back
 * on the target (items 1-999 and above 110000 but below 200000, pairs with a = 0), so every
 * difference but those is in flight.
 */
function startWriter(source: SandboxServer) {
  return startTransactionLoop(source, 'shop', (i) => [
    `UPDATE items SET qty = qty + 1 WHERE id = ${1000 + ((i * 7919) % 109000)}`,
    `UPDATE items SET name = name || '.' WHERE id = ${1000 + ((i * 104729) % 109000)}`,
    `INSERT INTO items VALUES (${200000 + i}, 'new ${i}', 1)`,
    `DELETE FROM items WHERE id = ${200000 + i - 3}`,
    `UPDATE pairs SET v = v + 1 WHERE a = ${1 + (i % 99)}`,
    `INSERT INTO log VALUES (now(), 'tick ${i}')`,
  ]);
}

/** Changes on the target by someone who bypasses the write guard (replica role: its trigger does not fire). */
const DRIFT = `SET session_replication_role = replica;
  UPDATE items SET name = 'drift' WHERE id = 5;
  DELETE FROM items WHERE id = 7;
  UPDATE items SET qty = -1 WHERE id = 115000;
  INSERT INTO items VALUES (150000, 'stray', 0);
  UPDATE pairs SET v = -1 WHERE a = 0 AND b = 'k100';`;

const EXPECTED = [
  /table "public"\."items":\n/,
  /differs in "public"\."items" WHERE \("id"\) < \('\d+'::integer\): key \(5\) different on the target/,
  /differs in "public"\."items" WHERE \("id"\) < \('\d+'::integer\): key \(7\) missing on the target/,
  /differs in "public"\."items" WHERE .+?: key \(115000\) different on the target/,
  /differs in "public"\."items" WHERE \("id"\) >= .+?: key \(150000\) extra on the target/,
  /differs in "public"\."pairs" WHERE true: key \(0, k100\) different on the target/,
];

/**
 * `selectTables`: the task selects tables by pattern, so on 10+ its publication lists them (live
 * verify adds its marker table there); otherwise the whole database.
 */
function liveVerifyScenario(sourceMajor: number, selectTables: boolean) {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();
  beforeAll(async () => {
    [source, target] = await Promise.all([
      startPostgres({ major: sourceMajor }),
      startPostgres({ major: 17 }),
    ]);
    await source.query('CREATE DATABASE shop');
    await source.query(SETUP, [], 'shop');
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('finds rows changed behind its back while a writer runs, repairs them while sync goes on, and finish is exact', async () => {
    const name = `live-${String(sourceMajor).replace('.', '')}`;
    const written = writeConfig(dir, name, source, target, { options: { targetWrites: 'refuse' } });
    const config = selectTables
      ? dir.write(
          `${name}-tables.yaml`,
          readFileSync(written, 'utf8').replace(
            'databases: [shop]\n',
            'databases: [shop]\n  include: ["shop.public.*"]\n',
          ),
        )
      : written;
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 180_000);
    const writer = startWriter(source);
    try {
      await waitFor('the writer under way', () => writer.count() > 20);
      await target.query(DRIFT, [], 'shop');
      if (selectTables) {
        // side.notes is left out, so the task's publication lists its tables.
        const publications = await source.query('SELECT puballtables FROM pg_publication', [], 'shop');
        expect(publications).toEqual([{ puballtables: false }]);
      }

      const found = await runCli(['verify', '-c', config, '--live']);
      expect(found.code, found.stdout + found.stderr).toBe(1);
      for (const line of EXPECTED) expect(found.stdout).toMatch(line);
      // Nothing else: the writer's rows in flight are not differences. The target is read after
      // the source, while the writer goes on, so there are such rows (the pairs it updates ten at a time).
      expect(found.stdout).toMatch(
        /table "public"\."pairs":\n {4}\d+ row\(s\) differed between the two reads only because sync had applied newer changes/,
      );
      expect(found.stdout.match(/differs in/g)).toHaveLength(EXPECTED.length - 1);
      expect(found.stdout).not.toContain('unsettled');
      expect(found.stdout).toMatch(
        /not checked live \(no primary key or unique key on NOT NULL columns\): "public"\."log"/,
      );
      expect(found.stdout).toContain('result: DIFFERENT');

      // The task is also in a task store: the repairs join its history.
      const store = join(dir.dir, `${name}-store`);
      const created = await runCli(['task', 'create', '-c', config, '--store', store]);
      expect(created.code, created.stdout + created.stderr).toBe(0);
      const repaired = await runCli(['verify', '-c', config, '--live', '--repair', '--store', store]);
      expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0);
      expect(repaired.stdout).toMatch(/key \(5\) different on the target: repaired \(updated\)/);
      expect(repaired.stdout).toMatch(/key \(7\) missing on the target: repaired \(inserted\)/);
      expect(repaired.stdout).toMatch(/key \(150000\) extra on the target: repaired \(deleted\)/);
      expect(repaired.stdout).toMatch(/key \(0, k100\) different on the target: repaired \(updated\)/);
      expect(repaired.stdout).toContain(
        'repaired 5 row(s), recorded in pgshift.verify_repairs on the target',
      );
      const shown = await runCli(['task', 'show', name, '--store', store]);
      expect(shown.stdout).toContain(
        'live verify repaired 5 row(s) (database shop: "public"."items" 4, "public"."pairs" 1), recorded in pgshift.verify_repairs on the target',
      );
      const recorded = await target.query<{ table_name: string; key: string; action: string }>(
        'SELECT table_name, key, action FROM pgshift.verify_repairs ORDER BY table_name, key',
        [],
        'shop',
      );
      expect(recorded).toEqual([
        { table_name: '"public"."items"', key: '["115000"]', action: 'updated' },
        { table_name: '"public"."items"', key: '["150000"]', action: 'deleted' },
        { table_name: '"public"."items"', key: '["5"]', action: 'updated' },
        { table_name: '"public"."items"', key: '["7"]', action: 'inserted' },
        { table_name: '"public"."pairs"', key: '["0","k100"]', action: 'updated' },
      ]);

      const again = await runCli(['verify', '-c', config, '--live']);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).not.toContain('differs in');
      // Each pass's slot is gone, and so is the source's marker table.
      const left = await source.query(
        "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'pgshiftverify%'",
        [],
        'shop',
      );
      expect(left).toEqual([]);
      expect(
        await source.query("SELECT to_regclass('pgshift.verify_marker')::text AS t", [], 'shop'),
      ).toEqual([{ t: null }]);
      // Sync went on all along.
      expect(run.output()).not.toMatch(/error\[/);
    } finally {
      await writer.stop();
    }
    // An idle source: the pass slot's point lies past the last commit sync applied, and only the
    // marker live verify writes moves the target's position past it.
    const idle = await runCli(['verify', '-c', config, '--live', '--wait-seconds', '60']);
    expect(idle.code, idle.stdout + idle.stderr).toBe(0);
    expect(idle.stdout).toContain('result: no differences left');
    const finish = await runCli(['finish', '-c', config]);
    expect(finish.code, finish.stdout + finish.stderr).toBe(0);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/database shop: (\d+)\/\1 tables identical/);
    expect(run.output()).toContain('result: identical');
    const tables = ['items', 'pairs', 'log'];
    expect(await tableFingerprints(target, 'shop', tables)).toEqual(
      await tableFingerprints(source, 'shop', tables),
    );
    // Once finished there is nothing to follow: live verify says so, with the remedy.
    const over = await runCli(['verify', '-c', config, '--live']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(
      /error\[PGSHIFT_LIVE_VERIFY\]: the source has no replication slot pgshift_\w+ for this task/,
    );
    expect(over.stderr).toContain('start it with pgshift run (mode full+incremental)');
    expect(over.stderr).not.toMatch(/\n\s+at /);
  });
}

describe('live verify with repair, PostgreSQL 15 to 17', () => {
  liveVerifyScenario(15, true);
});

const { missing } = sourceBuiltBinaries(9.5);
describe.skipIf(missing)(
  `live verify with repair, PostgreSQL 9.5 to 17${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    liveVerifyScenario(9.5, false);
  },
);

describe('verify flags', () => {
  it('refuse --repair without --live and a wait that is not a number, naming the flag, without a stack trace', async () => {
    const repair = await runCli(['verify', '-c', 'no-such.yaml', '--repair']);
    expect(repair.code).not.toBe(0);
    expect(repair.stderr).toContain('--repair needs --live');
    expect(repair.stderr).toContain('pgshift verify -c FILE --live --repair');
    expect(repair.stderr).not.toMatch(/\n\s+at /);
    const store = await runCli(['verify', '-c', 'no-such.yaml', '--live', '--store', 'tasks']);
    expect(store.code).not.toBe(0);
    expect(store.stderr).toContain('--store needs --live --repair');
    const wait = await runCli(['verify', '-c', 'no-such.yaml', '--live', '--wait-seconds', 'soon']);
    expect(wait.code).not.toBe(0);
    expect(wait.stderr).toMatch(/--wait-seconds.*expected a number of seconds above 0/);
    expect(wait.stderr).not.toMatch(/\n\s+at /);
  });
});
