import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { show, task, taskConfig } from '../tasks-support.js';
import { readState, startCli, tableFingerprints, tempDir, waitFor, writeConfig } from './support.js';
import { SHOP_TABLES, seedShop, startWriter } from './workload.js';

interface Limits {
  copy?: { rowsPerSecond?: number; megabytesPerSecond?: number };
  apply?: { rowsPerSecond?: number; megabytesPerSecond?: number };
}

function limitsInState(stateDir: string): Limits | undefined {
  return (readState(stateDir) as { limits?: Limits } | undefined)?.limits;
}

describe('rate limits of a running task', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await seedShop(source);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('pgshift set changes the limits of a `pgshift run` while it follows; status shows them, and the data still arrives', async () => {
    const config = writeConfig(dir, 'limited', source, target, {
      options: { limits: '{ copy: { megabytesPerSecond: 50, rowsPerSecond: 100000 } }' },
    });
    const stateDir = join(dir.dir, 'limited-state');
    const writer = startWriter(source);
    const run = startCli(['run', '-c', config]);
    try {
      await waitFor('following', () => readState(stateDir)?.databases.shop?.phase === 'following', 90_000);
      expect(limitsInState(stateDir)).toEqual({ copy: { megabytesPerSecond: 50, rowsPerSecond: 100000 } });

      const set = await runCli(['set', '-c', config, '--apply-rows', '500', '--copy-mbps', 'none']);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('limits set: copy MB/s unlimited, apply 500 rows/s');
      await waitFor(
        'the run to apply the new limits',
        () =>
          JSON.stringify(limitsInState(stateDir)) ===
          JSON.stringify({ copy: { rowsPerSecond: 100000 }, apply: { rowsPerSecond: 500 } }),
        15_000,
      );
      const status = await runCli(['status', '-c', config]);
      expect(status.stdout).toContain('limits:  copy 100000 rows/s; apply 500 rows/s');
      const json = JSON.parse((await runCli(['status', '-c', config, '--json'])).stdout) as {
        state: { limits: Limits };
      };
      expect(json.state.limits.apply).toEqual({ rowsPerSecond: 500 });

      // Changes keep being applied under the limit.
      const before = writer.count();
      await waitFor('writes under the apply limit', () => writer.count() > before + 30, 60_000);
      await writer.stop();
      const finish = await runCli(['finish', '-c', config]);
      expect(finish.code, finish.stdout + finish.stderr).toBe(0);
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toContain('limits in force: copy 100000 rows/s; apply 500 rows/s');
      const [a, b] = await Promise.all([
        tableFingerprints(source, 'shop', SHOP_TABLES),
        tableFingerprints(target, 'shop', SHOP_TABLES),
      ]);
      expect(b).toEqual(a);
    } finally {
      await writer.stop();
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  it('refuses a set without a limit, and a bad value, naming the option', async () => {
    const config = writeConfig(dir, 'limited-usage', source, target);
    const none = await runCli(['set', '-c', config]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('--copy-mbps, --copy-rows, --apply-mbps, --apply-rows');
    expect(none.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
    const bad = await runCli(['set', '-c', config, '--copy-mbps', 'fast']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--copy-mbps');
  });

  it('task set records the change in the history, and the worker passes it to the run', async () => {
    await source.query('CREATE DATABASE limitedstore');
    await source.query(
      'CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 2000) g',
      [],
      'limitedstore',
    );
    const store = join(dir.dir, 'store');
    const config = taskConfig(dir, 'limitedstore', source, target, {
      databases: ['limitedstore'],
      mode: 'full+incremental',
    });
    await task(store, ['create', '-c', config]);
    await task(store, ['set', 'limitedstore', '--copy-mbps', '40']);
    const before = await runCli(['task', 'show', 'limitedstore', '--store', store]);
    expect(before.stdout).toContain('limits:   set copy 40 MB/s; apply unlimited');
    await task(store, ['start', 'limitedstore']);
    const worker = startCli(['worker', '--store', store, '--once', '--poll', '0.3']);
    try {
      await waitFor(
        'following',
        async () => (await show(store, 'limitedstore')).run?.databases.limitedstore?.phase === 'following',
        90_000,
      );
      const runLimits = async () =>
        ((await show(store, 'limitedstore')).run as { limits?: Limits } | undefined)?.limits;
      expect(await runLimits()).toEqual({ copy: { megabytesPerSecond: 40 } });
      await task(store, ['set', 'limitedstore', '--apply-mbps', '2', '--apply-rows', '1000']);
      await waitFor(
        'the worker to pass the change on',
        async () =>
          JSON.stringify((await runLimits())?.apply) ===
          JSON.stringify({ rowsPerSecond: 1000, megabytesPerSecond: 2 }),
        15_000,
      );
      const shown = await show(store, 'limitedstore');
      expect(shown.history.map((h) => h.note)).toEqual(
        expect.arrayContaining(['limits set: copy 40 MB/s', 'limits set: apply 2 MB/s, apply 1000 rows/s']),
      );
      const plain = await runCli(['task', 'show', 'limitedstore', '--store', store]);
      expect(plain.stdout).toContain('limits:   copy 40 MB/s; apply 2 MB/s, 1000 rows/s');
      await source.query("INSERT INTO items VALUES (5000, 'after the limit')", [], 'limitedstore');
      await waitFor(
        'the change applied',
        async () =>
          (await target.query('SELECT 1 FROM items WHERE id = 5000', [], 'limitedstore')).length === 1,
        30_000,
      );
      const cancel = await task(store, ['cancel', 'limitedstore']);
      expect(JSON.parse(cancel.stdout).status).toBe('cancelled');
      expect(await worker.exited, worker.output()).toBe(0);
      // A task over takes no more changes.
      const refused = await runCli(['task', 'set', 'limitedstore', '--copy-mbps', '1', '--store', store]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('been cancelled');
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});
