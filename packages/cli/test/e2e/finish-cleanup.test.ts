import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../run-cli.js';
import { shopServers, startCli, waitFor, writeConfig } from './support.js';

/** Schemas pgshift made on a server, in database shop. */
const BOOKKEEPING = "SELECT nspname::text AS name FROM pg_namespace WHERE nspname = 'pgshift'";

describe('what pgshift leaves behind when a task completes', () => {
  const servers = shopServers(
    `CREATE TABLE items (id int PRIMARY KEY, name text);
     INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 500) g;`,
  );
  const { dir } = servers;

  it('a full copy removes schema pgshift from the target and says so', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'cleanup-full', source, target, { mode: 'full' });
    const run = await runCli(['run', '-c', config]);
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('removed schema pgshift');
    expect(await target.query(BOOKKEEPING, [], 'shop')).toEqual([]);
    expect(await target.query('SELECT count(*)::int AS n FROM items', [], 'shop')).toEqual([{ n: 500 }]);
    await target.query('DROP DATABASE shop');
  });

  it('finish --keep-state leaves it, for a look at the copy marks; nothing is left on the source', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'cleanup-keep', source, target);
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 120_000);
    const finish = await runCli(['finish', '-c', config, '--keep-state']);
    expect(finish.code, finish.stderr).toBe(0);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain('kept schema pgshift');
    expect(await target.query(BOOKKEEPING, [], 'shop')).toEqual([{ name: 'pgshift' }]);
    expect(await target.query<{ task: string }>('SELECT task FROM pgshift.copy_state', [], 'shop')).toEqual([
      { task: 'cleanup-keep' },
    ]);
    expect(await source.query(BOOKKEEPING, [], 'shop')).toEqual([]);
    expect(await source.query('SELECT slot_name FROM pg_replication_slots')).toEqual([]);
    await target.query('DROP DATABASE shop');
  });

  it('a run whose schema step fails drops the database it created, and says so', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'cleanup-failed-schema', source, target, {
      mode: 'full',
      plugins: [join(REPO, 'packages/cli/test/fixtures/failing-schema/index.ts')],
    });
    const run = await runCli(['run', '-c', config]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the target refused an object (a test failure)');
    expect(run.stderr).toContain(
      'the database shop this run created on the target was dropped again: the target is as it was',
    );
    expect(await target.query("SELECT 1 FROM pg_database WHERE datname = 'shop'")).toEqual([]);
  });
});
