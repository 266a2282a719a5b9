import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FileTaskStore,
  newTaskRecord,
  newTaskState,
  serveTasks,
  type TaskRunner,
  transition,
} from '../src/index.js';
import { tempDir } from './temp-dir.js';

const config = { path: '/nowhere.yaml', fileName: 'config.yaml', text: 'task: {}\n' };

async function queued(store: FileTaskStore, name: string): Promise<void> {
  await store.create(newTaskRecord({ name, mode: 'full', config }));
  await store.update(name, (r) => {
    r.dueAt = new Date(Date.now() - 1000).toISOString();
    transition(r, 'queued');
  });
}

const noShares: TaskRunner['copyShare'] = async () => {
  throw new Error('the file store has no copy shares');
};

describe('the worker loop with a runner handed in (no kernel)', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('runs a due task through the runner and records its stages, checks and outcome', async () => {
    const store = new FileTaskStore(join(dir.dir, 'ok'));
    await queued(store, 'one');
    const seen: string[] = [];
    const runner: TaskRunner = {
      async run(run) {
        seen.push(run.record.name);
        expect(run.stateDir.path).toBe(store.runDir('one'));
        await run.recordChecks({
          ok: true,
          summary: { pass: 1, warning: 0, failed: 0, total: 1 },
          items: [],
        });
        // The copy's events, as a loader emits them: the record keeps each table's figures.
        run.progress.emit({
          type: 'table-progress',
          database: 'app',
          table: 't1',
          rows: 9,
          bytes: 90,
          done: true,
        });
        run.progress.emit({
          type: 'copy-progress',
          database: 'app',
          rows: 9,
          bytes: 90,
          totalBytes: 90,
          tablesDone: 1,
          tablesTotal: 1,
        });
        const state = newTaskState('one', 'full');
        run.stateDir.writeState(state);
        run.stateDir.transition(state, 'running', 'full-copy');
        // Live figures while following, as the follow phase publishes them: the chart's series.
        for (const [seconds, lag] of [
          [0, '800'],
          [2, '600'],
          [6, '100'],
        ] as const) {
          run.stateDir.writeLive({
            pid: process.pid,
            at: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString(),
            stage: 'syncing',
            databases: { app: { lagBytes: lag, lagSeconds: 1, applyRate: 50 }, crm: { lagBytes: '0' } },
          });
        }
        run.stateDir.transition(state, 'completed', 'done');
        return { status: 'completed', state };
      },
      copyShare: noShares,
    };
    const summary = await serveTasks({ store, runner, once: true, pollMs: 20 });
    expect(seen).toEqual(['one']);
    expect(summary.ran).toEqual([{ task: 'one', status: 'completed' }]);
    const record = await store.get('one');
    expect(record?.status).toBe('completed');
    expect(record?.worker).toBeUndefined();
    expect(record?.checks?.summary.pass).toBe(1);
    expect(record?.history.map((h) => h.stage).filter(Boolean)).toContain('full-copy');
    expect(record?.run?.status).toBe('completed');
    // One sample per 5 s: the one 2 s after the first is left out.
    expect(record?.lagSeries?.map((s) => [s.lagBytes, s.lagSeconds, s.applyRate])).toEqual([
      [800, 1, 50],
      [100, 1, 50],
    ]);
    expect(record?.live?.databases?.app?.lagBytes).toBe('100');
    expect(record?.live?.copy?.tables).toEqual([
      { database: 'app', table: 't1', rows: 9, bytes: 90, done: true },
    ]);
  });

  it('records a runner that throws as failed, with the message redacted', async () => {
    const store = new FileTaskStore(join(dir.dir, 'fails'));
    await queued(store, 'two');
    const runner: TaskRunner = {
      async run() {
        throw Object.assign(new Error('cannot connect with password hunter2'), { code: 'PGSHIFT_X' });
      },
      copyShare: noShares,
    };
    const summary = await serveTasks({
      store,
      runner,
      once: true,
      pollMs: 20,
      redact: (text) => text.replaceAll('hunter2', '[redacted]'),
    });
    expect(summary.ran).toEqual([{ task: 'two', status: 'failed' }]);
    const record = await store.get('two');
    expect(record?.status).toBe('failed');
    expect(record?.error).toEqual({ code: 'PGSHIFT_X', message: 'cannot connect with password [redacted]' });
  });
});
