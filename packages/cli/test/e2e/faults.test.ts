import { FaultProxy, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import {
  type BackgroundRun,
  duplicateKeys,
  exitWithin,
  readState,
  someChunksCopied,
  startCli,
  tableFingerprints,
  tempDir,
  waitFor,
  writeConfig,
} from './support.js';
import { SHOP_TABLES, seedBulk, seedShop, startTransactionLoop, startWriter } from './workload.js';

/**
 * Faults while a full+incremental migration runs under a writer, each ridden out by the same run
 * (no rerun): it reconnects with backoff and resumes from the durable position, and the target
 * ends identical to the source. Short waits between attempts keep the test quick.
 */
const QUICK_RECONNECT = { reconnectMaxDelaySeconds: 2 };

/** A row the writer never touches: once it is on the target, the apply has resumed. */
function markers(source: SandboxServer, target: SandboxServer) {
  let next = 0;
  return async (label: string) => {
    next++;
    await source.query('INSERT INTO markers VALUES ($1)', [next], 'shop');
    await waitFor(
      `the marker after ${label} applied on the target`,
      async () =>
        (await target.query('SELECT 1 FROM markers WHERE id = $1', [next], 'shop').catch(() => [])).length ===
        1,
      120_000,
    );
  };
}

describe('faults during incremental sync, ridden out without a rerun', { timeout: 300_000 }, () => {
  let source: SandboxServer;
  let target: SandboxServer;
  let sourceProxy: FaultProxy;
  let targetProxy: FaultProxy;
  let run: BackgroundRun;
  let writer: ReturnType<typeof startWriter>;
  let applied: (label: string) => Promise<void>;
  let config: string;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await seedShop(source);
    await source.query('CREATE TABLE markers (id int PRIMARY KEY)', [], 'shop');
    [sourceProxy, targetProxy] = await Promise.all([FaultProxy.start(source), FaultProxy.start(target)]);
    applied = markers(source, target);
    config = writeConfig(dir, 'faults-sync', source, target, {
      via: { source: sourceProxy, target: targetProxy },
      options: QUICK_RECONNECT,
    });
  });
  afterAll(async () => {
    run?.child.kill('SIGKILL');
    await writer?.stop().catch(() => {});
    await Promise.all([sourceProxy?.close(), targetProxy?.close()]);
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  const stillRunning = () => expect(run.child.exitCode, run.output()).toBeNull();

  it('follows under a writer', async () => {
    writer = startWriter(source, { survive: true });
    run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 120_000);
    await applied('the start');
  });

  it('a target restart: status says reconnecting while it is down, and the apply resumes', async () => {
    await target.takeDown();
    await waitFor(
      'status showing the reconnect',
      async () => (await runCli(['status', '-c', config])).stdout.includes('reconnecting (attempt'),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await target.bringUp();
    await applied('the target restart');
    stillRunning();
    expect(run.output()).toMatch(/following database shop: connection lost .*reconnecting in/);
  });

  it('a source restart', async () => {
    await source.restart(1500);
    await applied('the source restart');
    stillRunning();
  });

  it('the walsender killed on the source', async () => {
    const killed = await source.query<{ ok: boolean }>(
      "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_replication WHERE application_name LIKE 'pgshift%'",
    );
    expect(killed.length).toBeGreaterThan(0);
    await applied('the walsender kill');
    stillRunning();
  });

  it('every socket to the target cut', async () => {
    expect(targetProxy.drop()).toBeGreaterThan(0);
    await applied('the cut target sockets');
    stillRunning();
  });

  it('the replication connection cut', async () => {
    expect(sourceProxy.drop('replication')).toBeGreaterThan(0);
    await applied('the cut replication socket');
    stillRunning();
  });

  it('finishes exact: identical tables, no duplicate keys, no slot left', async () => {
    await writer.stop();
    const finish = await runCli(['finish', '-c', config]);
    expect(finish.code, finish.stderr).toBe(0);
    expect(await run.exited, run.output()).toBe(0);
    const tables = [...SHOP_TABLES, 'markers'];
    const [onSource, onTarget] = await Promise.all([
      tableFingerprints(source, 'shop', tables),
      tableFingerprints(target, 'shop', tables),
    ]);
    expect(onTarget).toEqual(onSource);
    expect(await duplicateKeys(target, 'shop', 'orders', 'id')).toBe(0);
    expect(await source.query('SELECT slot_name FROM pg_replication_slots')).toEqual([]);
    expect(readState(`${dir.dir}/faults-sync-state`)?.status).toBe('completed');
    // Finishing removes pgshift's bookkeeping from the target.
    expect(await target.query("SELECT 1 FROM pg_namespace WHERE nspname = 'pgshift'", [], 'shop')).toEqual(
      [],
    );
  });
});

describe('faults during the full copy, ridden out without a rerun', { timeout: 300_000 }, () => {
  let source: SandboxServer;
  const dir = tempDir();
  const tables = ['items', 'tags'];

  beforeAll(async () => {
    source = await startPostgres({ major: 15 });
    await seedBulk(source);
  });
  afterAll(async () => {
    await source?.stop();
    dir.cleanup();
  });

  /** Writes to bulk until stopped, through outages. */
  const bulkWriter = () =>
    startTransactionLoop(
      source,
      'bulk',
      (i) => [
        `UPDATE items SET qty = qty + 1 WHERE id = ${1 + ((i * 7919) % 300000)}`,
        `INSERT INTO items VALUES (${1_000_000 + i}, 'live', ${i})`,
        `DELETE FROM tags WHERE ctid = (SELECT ctid FROM tags LIMIT 1)`,
      ],
      { survive: true },
    );

  async function finishExact(
    run: BackgroundRun,
    config: string,
    target: SandboxServer,
    writer: { stop(): Promise<number> },
  ) {
    await waitFor('following', () => run.output().includes('syncing: started'), 180_000);
    await writer.stop();
    const finish = await runCli(['finish', '-c', config]);
    expect(finish.code, finish.stderr).toBe(0);
    expect(await run.exited, run.output()).toBe(0);
    const [onSource, onTarget] = await Promise.all([
      tableFingerprints(source, 'bulk', tables),
      tableFingerprints(target, 'bulk', tables),
    ]);
    expect(onTarget).toEqual(onSource);
    expect(await duplicateKeys(target, 'bulk', 'items', 'id')).toBe(0);
  }

  it('a target restart mid-copy: the copy goes on under the same snapshot', async () => {
    const target = await startPostgres({ major: 17 });
    const writer = bulkWriter();
    try {
      const config = writeConfig(dir, 'faults-copy-target', source, target, {
        databases: ['bulk'],
        splitTableBytes: 2_000_000,
        options: QUICK_RECONNECT,
      });
      const run = startCli(['run', '-c', config]);
      await someChunksCopied(target);
      await target.restart(1500);
      await finishExact(run, config, target, writer);
      expect(run.output()).toMatch(/copying database bulk: connection lost/);
      expect(run.output()).not.toContain('new snapshot');
    } finally {
      await writer.stop();
      await target.stop();
    }
  });

  it('a source restart mid-copy ends the snapshot: onLostSnapshot restart copies again by itself', async () => {
    const target = await startPostgres({ major: 17 });
    const writer = bulkWriter();
    try {
      const config = writeConfig(dir, 'faults-copy-source', source, target, {
        databases: ['bulk'],
        splitTableBytes: 2_000_000,
        options: { ...QUICK_RECONNECT, onLostSnapshot: 'restart' },
      });
      const run = startCli(['run', '-c', config]);
      await someChunksCopied(target);
      await source.restart(1500);
      await finishExact(run, config, target, writer);
      expect(run.output()).toContain('copying database bulk again under a new snapshot and slot');
      expect(await source.query('SELECT slot_name FROM pg_replication_slots')).toEqual([]);
    } finally {
      await writer.stop();
      await target.stop();
    }
  });
});

describe('a server that stays down', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 17 })]);
    await seedShop(source, 200);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('fails the run after options.reconnectAttempts, naming the step and the last error; a rerun resumes', {
    timeout: 300_000,
  }, async () => {
    const config = writeConfig(dir, 'faults-gone', source, target, {
      options: { reconnectAttempts: 2, reconnectMaxDelaySeconds: 1 },
    });
    const run = startCli(['run', '-c', config]);
    await waitFor('following', () => run.output().includes('syncing: started'), 120_000);
    await target.takeDown();
    expect(await exitWithin(run, 90_000), run.output()).toBe(1);
    expect(run.output()).toContain(
      'error[PGSHIFT_CONNECTION_LOST]: following database shop: the connection was lost',
    );
    expect(run.output()).toContain('2 attempt(s) to reconnect failed');
    expect(run.output()).toContain('remedy:');
    expect(run.output()).toContain('(attempt 2 of 2)');
    await target.bringUp();
    await source.query("INSERT INTO customers (name) VALUES ('while pgshift was down')", [], 'shop');
    const again = startCli(['run', '-c', config]);
    await waitFor('following again', () => again.output().includes('syncing: started'), 120_000);
    const finish = await runCli(['finish', '-c', config]);
    expect(finish.code, finish.stderr).toBe(0);
    expect(await exitWithin(again, 90_000), again.output()).toBe(0);
    const [onSource, onTarget] = await Promise.all([
      tableFingerprints(source, 'shop', SHOP_TABLES),
      tableFingerprints(target, 'shop', SHOP_TABLES),
    ]);
    expect(onTarget).toEqual(onSource);
  });
});
