import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { shopServers, startCli, tableFingerprints, waitFor, writeConfig } from './support.js';

/**
 * A change the target refuses: a row written on the target during sync (which the product tells
 * users never to do) collides with one the source inserts.
 */
describe('the apply error policy', () => {
  const servers = shopServers(
    `CREATE TABLE items (id int PRIMARY KEY, name text);
     INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g;`,
  );
  const { dir } = servers;
  const collide = async () => {
    const { source, target } = servers;
    await target.query("INSERT INTO items VALUES (1001, 'written on the target')", [], 'shop');
    await source.query("INSERT INTO items VALUES (1001, 'from the source')", [], 'shop');
  };
  const exact = async () => {
    const { source, target } = servers;
    const [a, b] = await Promise.all([
      tableFingerprints(source, 'shop', ['items']),
      tableFingerprints(target, 'shop', ['items']),
    ]);
    expect(b).toEqual(a);
  };

  it('stop (the default): the run stops, and status says which change, where, and what to do', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'apply-stop', source, target);
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 120_000);
    await collide();
    expect(await run.exited, run.output()).toBe(1);
    expect(run.output()).toContain('error[PGSHIFT_REPL_APPLY]');
    const status = await runCli(['status', '-c', config]);
    expect(status.stdout).toContain('last error: PGSHIFT_REPL_APPLY: applying a change on the target failed');
    expect(status.stdout).toMatch(/ {2}statement: INSERT INTO "public"\."items"/);
    expect(status.stdout).toContain('  database: shop');
    expect(status.stdout).toMatch(/ {2}appliedUpTo: [0-9A-F]+\/[0-9A-F]+/);
    expect(status.stdout).toMatch(/remedy: .*run pgshift run again/);

    // Fixed on the target, the rerun applies the change and finishes exact.
    await target.query('DELETE FROM items WHERE id = 1001', [], 'shop');
    const again = startCli(['run', '-c', config]);
    await waitFor('following again', () => again.output().includes('syncing: started'), 120_000);
    expect((await runCli(['finish', '-c', config])).code).toBe(0);
    expect(await again.exited, again.output()).toBe(0);
    await exact();
    await target.query('DROP DATABASE shop');
  });

  it('retry: the same run tries again from the durable position, and goes on once the target is fixed', async () => {
    const { source, target } = servers;
    await source.query('DELETE FROM items WHERE id > 100', [], 'shop');
    const config = writeConfig(dir, 'apply-retry', source, target, {
      options: { onApplyError: 'retry', applyRetries: 50, reconnectMaxDelaySeconds: 1 },
    });
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 120_000);
    await collide();
    await waitFor('a retry', () => run.output().includes('the target refused a change'), 60_000);
    expect(run.output()).toMatch(/following database shop: the target refused a change .*trying again in/);
    await waitFor(
      'status showing the retry',
      async () => (await runCli(['status', '-c', config])).stdout.includes('retrying (attempt'),
      30_000,
    );
    await target.query('DELETE FROM items WHERE id = 1001', [], 'shop');
    await waitFor(
      'the change applied',
      async () =>
        (await target.query<{ name: string }>('SELECT name FROM items WHERE id = 1001', [], 'shop'))[0]
          ?.name === 'from the source',
      60_000,
    );
    expect(run.child.exitCode).toBeNull();
    expect((await runCli(['finish', '-c', config])).code).toBe(0);
    expect(await run.exited, run.output()).toBe(0);
    await exact();
  });
});
