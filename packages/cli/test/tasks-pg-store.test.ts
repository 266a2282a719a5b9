import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, tableFingerprints, waitFor } from './e2e/support.js';
import { tempDir } from './run-cli.js';
import { show, task, taskConfig } from './tasks-support.js';

async function seed(server: SandboxServer, database: string) {
  await server.query(`CREATE DATABASE ${database}`);
  await server.query(
    `CREATE TABLE items (id int PRIMARY KEY, label text, price numeric(10,2));
     INSERT INTO items SELECT g, 'item ' || g, g * 0.25 FROM generate_series(1, 2000) g;`,
    [],
    database,
  );
}

describe('tasks in the PostgreSQL store, shared by workers on several machines', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();
  let store: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await Promise.all([seed(source, 'p1'), seed(source, 'p2')]);
    // The store lives in its own database on the target's server.
    await target.query('CREATE DATABASE taskstore');
    store = `postgres://${target.user}@${target.host}:${target.port}/taskstore`;
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('two workers share the queue; finish from a third process completes the tasks', async () => {
    for (const name of ['p1', 'p2']) {
      const config = taskConfig(dir, name, source, target, { databases: [name], mode: 'full+incremental' });
      await task(store, ['create', '-c', config]);
      await task(store, ['start', name]);
    }
    // Each worker keeps its run state in its own directory, as on separate machines.
    const args = (n: string) => [
      'worker',
      '--store',
      store,
      '--poll',
      '0.3',
      '--idle-exit',
      '3',
      '--work-dir',
      join(dir.dir, n),
    ];
    const first = startCli(args('w1'));
    const second = startCli(args('w2'));
    try {
      await waitFor(
        'both tasks following',
        async () => {
          const [a, b] = await Promise.all([show(store, 'p1'), show(store, 'p2')]);
          return a.run?.databases.p1?.phase === 'following' && b.run?.databases.p2?.phase === 'following';
        },
        120_000,
      );
      const [a, b] = await Promise.all([show(store, 'p1'), show(store, 'p2')]);
      // One task at a time per worker: each worker holds one of them.
      expect(a.worker?.id).toBeDefined();
      expect(b.worker?.id).toBeDefined();
      expect(a.worker?.id).not.toBe(b.worker?.id);

      await source.query(
        "UPDATE items SET price = price + 1 WHERE id % 7 = 0; INSERT INTO items VALUES (5000, 'late', 1.5)",
        [],
        'p2',
      );
      await source.query('DELETE FROM items WHERE id <= 10', [], 'p1');
      // A third process finishes both through the store.
      for (const name of ['p2', 'p1']) {
        const finished = await task(store, ['finish', name]);
        expect(JSON.parse(finished.stdout).status).toBe('completed');
      }
      expect(await first.exited, first.output()).toBe(0);
      expect(await second.exited, second.output()).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      second.child.kill('SIGKILL');
    }
    for (const name of ['p1', 'p2']) {
      const [onSource, onTarget] = await Promise.all([
        tableFingerprints(source, name, ['items']),
        tableFingerprints(target, name, ['items']),
      ]);
      expect(onTarget).toEqual(onSource);
      const shown = await show(store, name);
      expect(shown.history.map((h) => h.status)).toEqual(
        expect.arrayContaining(['created', 'checked', 'queued', 'running', 'finishing', 'completed']),
      );
    }
    const slots = await source.query<{ n: string }>('SELECT count(*) AS n FROM pg_replication_slots');
    expect(Number(slots[0]?.n)).toBe(0);
  });
});
