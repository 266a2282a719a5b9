import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { shopServers, startCli, tableFingerprints, waitFor, writeConfig } from './support.js';

const GUARDS = "SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'pgshift_guard'";

/** Writes to the target during sync, which the product tells users never to make. */
describe('writes to the target while following', () => {
  const servers = shopServers(
    `CREATE TABLE items (id int PRIMARY KEY, name text);
     CREATE TABLE notes (id int PRIMARY KEY, body text);
     INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g;`,
  );
  const { dir } = servers;
  const exact = async () => {
    const { source, target } = servers;
    const [a, b] = await Promise.all([
      tableFingerprints(source, 'shop', ['items', 'notes']),
      tableFingerprints(target, 'shop', ['items', 'notes']),
    ]);
    expect(b).toEqual(a);
  };

  it('are reported as they happen, with the table, the operation and the role; finish removes the guard', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'writes-detect', source, target, {});
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 120_000);
    await waitFor(
      'the guard on both tables',
      async () => (await target.query<{ n: number }>(GUARDS, [], 'shop'))[0]?.n === 2,
    );
    // A stray write, then its undo: the data ends as it should, but it happened.
    await target.query("INSERT INTO notes VALUES (1, 'stray')", [], 'shop');
    await target.query('DELETE FROM notes WHERE id = 1', [], 'shop');
    await waitFor(
      'the warning',
      () => run.output().includes('on public.notes on the target by role postgres'),
      30_000,
    );
    expect(run.output()).toMatch(/1 INSERT statement\(s\) on public\.notes on the target by role postgres/);
    expect(run.output()).toMatch(/1 DELETE statement\(s\) on public\.notes/);
    const status = await runCli(['status', '-c', config]);
    expect(status.stdout).toContain('writes to the target by others than pgshift during sync');
    expect(status.stdout).toMatch(/shop\s+public\.notes\s+INSERT\s+1\s+postgres/);
    // pgshift's own apply is not a write by others.
    await source.query("UPDATE items SET name = 'changed' WHERE id < 10", [], 'shop');
    await waitFor(
      'the update applied',
      async () =>
        (
          await target.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM items WHERE name = 'changed'",
            [],
            'shop',
          )
        )[0]?.n === 9,
    );
    expect(run.output()).not.toMatch(/on public\.items on the target/);
    expect((await runCli(['finish', '-c', config])).code).toBe(0);
    expect(await run.exited, run.output()).toBe(0);
    expect(await target.query(GUARDS, [], 'shop')).toEqual([{ n: 0 }]);
    await exact();
    await target.query('DROP DATABASE shop');
  });

  it('are refused with targetWrites: refuse, while the source changes still arrive', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'writes-refuse', source, target, { options: { targetWrites: 'refuse' } });
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 120_000);
    await waitFor(
      'the guard on both tables',
      async () => (await target.query<{ n: number }>(GUARDS, [], 'shop'))[0]?.n === 2,
    );
    const refused = await target.query("INSERT INTO notes VALUES (2, 'stray')", [], 'shop').then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refused).toBe(
      'table public.notes is being migrated by pgshift: writes to it are refused until pgshift finish',
    );
    await expect(target.query('TRUNCATE items', [], 'shop')).rejects.toThrow(/refused until pgshift finish/);
    await source.query("INSERT INTO notes VALUES (3, 'from the source')", [], 'shop');
    await waitFor(
      'the insert applied',
      async () => (await target.query('SELECT 1 FROM notes WHERE id = 3', [], 'shop')).length === 1,
    );
    expect((await runCli(['finish', '-c', config])).code).toBe(0);
    expect(await run.exited, run.output()).toBe(0);
    // After the cut-over the target is the user's.
    await target.query("INSERT INTO notes VALUES (4, 'after finish')", [], 'shop');
    await target.query('DELETE FROM notes WHERE id = 4', [], 'shop');
    await exact();
  });
});
