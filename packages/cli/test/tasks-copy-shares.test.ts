import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, tableFingerprints, waitFor } from './e2e/support.js';
import { tempDir } from './run-cli.js';
import { show, task, taskConfig } from './tasks-support.js';

const TABLES = ['t1', 't2', 't3', 't4'];

describe('one task copy spread over two workers of the PostgreSQL store', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();
  let store: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await source.query('CREATE DATABASE wide');
    for (const t of TABLES) {
      await source.query(
        `CREATE TABLE ${t} (id int PRIMARY KEY, payload text);
         INSERT INTO ${t} SELECT g, md5(g::text) || repeat('x', 100) FROM generate_series(1, 100000) g;`,
        [],
        'wide',
      );
    }
    // Big enough that the coordinator's own share outlasts the helper's poll (0.3 s): when it
    // finishes first, it takes the other share back and copies it itself, as it should.
    await target.query('CREATE DATABASE taskstore');
    store = `postgres://${target.user}@${target.host}:${target.port}/taskstore`;
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('the copy shares go to both workers under one snapshot; finish from a third process completes it', async () => {
    const config = taskConfig(dir, 'wide', source, target, { databases: ['wide'], mode: 'full+incremental' });
    await task(store, ['create', '-c', config]);
    const args = (n: string) => [
      'worker',
      '--store',
      store,
      '--poll',
      '0.3',
      '--copy-shares',
      '2',
      '--work-dir',
      join(dir.dir, n),
    ];
    // Both workers are up and idle before the task is due: one coordinates, the other helps.
    const first = startCli(args('w1'));
    const second = startCli(args('w2'));
    try {
      await waitFor(
        'both workers up',
        () => first.output().includes('serving') && second.output().includes('serving'),
      );
      await task(store, ['start', 'wide']);
      await waitFor(
        'following',
        async () => (await show(store, 'wide')).run?.databases.wide?.phase === 'following',
        120_000,
      );
      const shown = (await show(store, 'wide')) as Awaited<ReturnType<typeof show>> & {
        copyShares?: { tables: string[]; worker: string }[];
      };
      const shares = shown.copyShares ?? [];
      // Two shares, copied by two different workers, covering every table once.
      expect(new Set(shares.map((s) => s.worker)).size).toBe(2);
      expect(shares.flatMap((s) => s.tables).sort()).toEqual(TABLES.map((t) => `public.${t}`));

      // Every chunk, whoever copied it, was read under the one snapshot of the task's slot.
      const marks = await target.query<{ snapshots: string; undone: string }>(
        `SELECT count(DISTINCT snapshot) AS snapshots, count(*) FILTER (WHERE done_at IS NULL) AS undone
           FROM pgshift.copy_progress WHERE database = 'wide'`,
        [],
        'wide',
      );
      expect(marks[0]).toEqual({ snapshots: '1', undone: '0' });

      await source.query("UPDATE t1 SET payload = 'changed' WHERE id % 100 = 0", [], 'wide');
      const finished = await task(store, ['finish', 'wide']);
      expect(JSON.parse(finished.stdout).status).toBe('completed');
      // Both stop cleanly when told to (nothing left to run).
      first.child.kill('SIGTERM');
      second.child.kill('SIGTERM');
      expect(await first.exited, first.output()).toBe(0);
      expect(await second.exited, second.output()).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      second.child.kill('SIGKILL');
    }
    const [onSource, onTarget] = await Promise.all([
      tableFingerprints(source, 'wide', TABLES),
      tableFingerprints(target, 'wide', TABLES),
    ]);
    expect(onTarget).toEqual(onSource);
  });
});
