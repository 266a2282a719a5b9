import { userInfo } from 'node:os';
import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, tableFingerprints, waitFor } from './e2e/support.js';
import { SHOP_TABLES, seedShop, startWriter } from './e2e/workload.js';
import { runCli, tempDir } from './run-cli.js';
import { runSpan, show, task, taskConfig } from './tasks-support.js';

async function seedSmall(server: SandboxServer, database: string) {
  await server.query(`CREATE DATABASE ${database}`);
  await server.query(
    `CREATE TABLE items (id int PRIMARY KEY, label text, price numeric(10,2));
     INSERT INTO items SELECT g, 'item ' || g, g * 0.25 FROM generate_series(1, 3000) g;`,
    [],
    database,
  );
}

describe('tasks in the embedded store, run by workers', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();
  const store = join(dir.dir, 'store');

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    for (const db of ['q1', 'q2', 'q3', 'later', 'cancelme']) await seedSmall(source, db);
    await seedShop(source, 500);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('three tasks queued at once run strictly one after another under one worker', async () => {
    const names = ['q1', 'q2', 'q3'];
    for (const name of names) {
      const config = taskConfig(dir, name, source, target, { databases: [name] });
      await task(store, ['create', '-c', config]);
    }
    for (const name of names) {
      const started = JSON.parse((await task(store, ['start', name])).stdout) as { status: string };
      expect(started.status).toBe('queued');
    }
    const worker = await runCli(['worker', '--store', store, '--once', '--poll', '0.3']);
    expect(worker.code, worker.stdout + worker.stderr).toBe(0);

    const shown = await Promise.all(names.map((n) => show(store, n)));
    for (const s of shown) {
      expect(s.status).toBe('completed');
      expect(s.history.map((h) => h.status)).toEqual(
        expect.arrayContaining(['created', 'checking', 'checked', 'queued', 'running', 'completed']),
      );
      expect(s.history.map((h) => h.stage)).toEqual(
        expect.arrayContaining(['schema', 'full-copy', 'post-data', 'verifying', 'done']),
      );
      // Each step once: a stage announced by its progress event and by the run's state is one entry.
      const repeated = s.history.filter(
        (h, i) =>
          i > 0 && !h.note && h.status === s.history[i - 1]?.status && h.stage === s.history[i - 1]?.stage,
      );
      expect(repeated).toEqual([]);
    }
    // Each table's copy, as the detail page lists it.
    for (const s of shown) {
      expect(s.progress.copy?.tables).toEqual([
        expect.objectContaining({ database: s.name, table: '"public"."items"', rows: 3000, done: true }),
      ]);
    }
    // Each step a person asked for says who: created, checked and queued by this OS user.
    const byCli = `cli:${userInfo().username}`;
    for (const s of shown) {
      const asked = s.history.filter((h) => ['created', 'checking', 'checked', 'queued'].includes(h.status));
      expect(asked.map((h) => h.origin)).toEqual([byCli, byCli, byCli, byCli]);
      // The worker's own steps name no person.
      expect(s.history.filter((h) => h.status === 'running').every((h) => h.origin === undefined)).toBe(true);
    }
    // In the order they were started, each beginning after the previous one ended.
    const spans = shown.map(runSpan);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    }
    for (const name of names) {
      const [a, b] = await Promise.all([
        tableFingerprints(source, name, ['items']),
        tableFingerprints(target, name, ['items']),
      ]);
      expect(b).toEqual(a);
    }
    // The plain output a person reads: status, copied rows, history with times.
    const plain = await runCli(['task', 'show', 'q2', '--store', store]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/status: +completed/);
    expect(plain.stdout).toContain('3000 rows');
    expect(plain.stdout).toMatch(/AT +STATUS +STAGE +NOTE +ORIGIN/);
    expect(plain.stdout).toContain(byCli);
    const list = JSON.parse((await task(store, ['list'])).stdout) as { name: string; status: string }[];
    expect(list.filter((t) => names.includes(t.name)).map((t) => t.status)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
  });

  it('a task with a start time ahead is scheduled and waits for it', async () => {
    // Far enough ahead that create and start (which runs the checks) end before it, even on a busy machine.
    const startAt = new Date(Date.now() + 20_000).toISOString();
    const config = taskConfig(dir, 'later', source, target, { databases: ['later'], startAt });
    await task(store, ['create', '-c', config]);
    const started = JSON.parse((await task(store, ['start', 'later'])).stdout) as {
      status: string;
      dueAt: string;
    };
    expect(started.status).toBe('scheduled');
    expect(started.dueAt).toBe(startAt);

    const worker = await runCli(['worker', '--store', store, '--once', '--poll', '0.3']);
    expect(worker.code, worker.stdout + worker.stderr).toBe(0);
    const shown = await show(store, 'later');
    expect(shown.status).toBe('completed');
    expect(runSpan(shown).start).toBeGreaterThanOrEqual(Date.parse(startAt));
  });

  it('a task whose worker is killed resumes under a new worker and ends identical to the source', async () => {
    const config = taskConfig(dir, 'shop', source, target, { databases: ['shop'], mode: 'full+incremental' });
    await task(store, ['create', '-c', config]);
    await task(store, ['start', 'shop']);
    const writer = startWriter(source);
    let second: ReturnType<typeof startCli> | undefined;
    try {
      const first = startCli(['worker', '--store', store, '--poll', '0.3']);
      await waitFor(
        'following under the first worker',
        async () => (await show(store, 'shop')).run?.databases.shop?.phase === 'following',
        90_000,
      );
      const before = writer.count();
      await waitFor('changes applied', () => writer.count() > before + 20, 60_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const killedAt = writer.count();
      await waitFor('changes while no worker runs', () => writer.count() > killedAt + 20, 60_000);

      second = startCli(['worker', '--store', store, '--once', '--poll', '0.3']);
      await waitFor(
        'resumed by the second worker',
        async () => {
          const s = await show(store, 'shop');
          return (
            s.history.some((h) => h.note?.includes('resumed by another worker')) && s.status === 'running'
          );
        },
        60_000,
      );
      await waitFor('following again', () => second!.output().includes('syncing: started'), 60_000);
      const resumed = writer.count();
      await waitFor('changes after the restart', () => writer.count() > resumed + 20, 60_000);
      // A sample of the lag chart is kept at most every 5 s: follow until there are two.
      await waitFor(
        'two samples of lag',
        async () => ((await show(store, 'shop')).lagSeries?.length ?? 0) >= 2,
        60_000,
      );
      await writer.stop();
      const finish = await task(store, ['finish', 'shop', '--keep-state']);
      expect(JSON.parse(finish.stdout).status).toBe('completed');
      expect(await second.exited, second.output()).toBe(0);
    } finally {
      await writer.stop();
      second?.child.kill('SIGKILL');
    }
    const [a, b] = await Promise.all([
      tableFingerprints(source, 'shop', SHOP_TABLES),
      tableFingerprints(target, 'shop', SHOP_TABLES),
    ]);
    expect(b).toEqual(a);
    // finish --keep-state reached the worker: the copy's marks stay on the target.
    expect(
      await target.query("SELECT 1 FROM pg_namespace WHERE nspname = 'pgshift'", [], 'shop'),
    ).toHaveLength(1);
    const shown = await show(store, 'shop');
    const workers = new Set(shown.history.map((h) => h.worker).filter(Boolean));
    expect(workers.size).toBe(2);
    expect(shown.history.map((h) => h.status)).toContain('finishing');
    const finishRequest = shown.history.find((h) => h.note?.startsWith('finish requested'));
    expect(finishRequest?.origin).toBe(`cli:${userInfo().username}`);
    // While it followed, the worker kept the lag chart's series: figures at least 5 s apart.
    const series = shown.lagSeries ?? [];
    expect(series.length).toBeGreaterThanOrEqual(2);
    expect(series.every((p) => p.lagBytes !== undefined && p.applyRate !== undefined)).toBe(true);
    for (let i = 1; i < series.length; i++) {
      expect(Date.parse(series[i]!.at) - Date.parse(series[i - 1]!.at)).toBeGreaterThanOrEqual(5000);
    }
  });

  it('a cancelled task leaves the target as is; starting it again reports the leftovers as conflicts', async () => {
    const config = taskConfig(dir, 'cancelme', source, target, {
      databases: ['cancelme'],
      mode: 'full+incremental',
    });
    await task(store, ['create', '-c', config]);
    await task(store, ['start', 'cancelme']);
    const worker = startCli(['worker', '--store', store, '--once', '--poll', '0.3']);
    try {
      // Following, with its first figures on the lag chart (published apart from the phase).
      await waitFor(
        'following',
        async () => {
          const s = await show(store, 'cancelme');
          return s.run?.databases.cancelme?.phase === 'following' && (s.lagSeries?.length ?? 0) > 0;
        },
        90_000,
      );
      const cancel = await task(store, ['cancel', 'cancelme']);
      expect(JSON.parse(cancel.stdout).status).toBe('cancelled');
      expect(await worker.exited, worker.output()).toBe(0);
    } finally {
      worker.child.kill('SIGKILL');
    }
    const slots = await source.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_replication_slots WHERE database = 'cancelme'",
    );
    expect(Number(slots[0]?.n)).toBe(0);
    const kept = await target.query<{ n: string }>('SELECT count(*) AS n FROM items', [], 'cancelme');
    expect(Number(kept[0]?.n)).toBe(3000);
    // It followed before the cancel: the lag chart keeps its figures.
    const followed = await show(store, 'cancelme');
    expect(followed.lagSeries?.length).toBeGreaterThanOrEqual(1);
    expect(followed.lagSeries?.[0]?.lagBytes).toBeTypeOf('number');

    const again = await task(store, ['start', 'cancelme'], 1);
    const result = JSON.parse(again.stdout) as { status: string; checks: ShownChecks };
    expect(result.status).toBe('check-failed');
    const failed = result.checks.items.filter((i) => i.status === 'failed');
    expect(failed.map((i) => i.message).join('\n')).toMatch(/cancelme/);
  });
});

type ShownChecks = { items: { id: string; status: string; message: string }[] };
