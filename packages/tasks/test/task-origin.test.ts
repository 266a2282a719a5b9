import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changeTaskLimits, FileTaskStore, newTaskRecord, requestControl, transition } from '../src/index.js';
import { tempDir } from './temp-dir.js';

const config = { path: '/nowhere.yaml', fileName: 'config.yaml', text: 'task: {}\n' };

describe('who asked for each step of a task', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('keeps the origin of create, limit changes and finish/cancel requests in the history', async () => {
    const store = new FileTaskStore(join(dir.dir, 'store'));
    await store.create(newTaskRecord({ name: 'a', mode: 'full', config, origin: 'cli:alice' }));
    await store.update('a', (r) => transition(r, 'running', { stage: 'syncing', worker: 'w1' }));
    await changeTaskLimits(store, 'a', { copy: { rowsPerSecond: 10 } }, { origin: 'console:ops' });
    const { record, immediate } = await requestControl(store, 'a', 'finish', { origin: 'console:ops' });
    expect(immediate).toBe(false);
    expect(record.control?.origin).toBe('console:ops');
    expect(record.history.map((h) => [h.status, h.origin])).toEqual([
      ['created', 'cli:alice'],
      ['running', undefined],
      ['running', 'console:ops'],
      ['running', 'console:ops'],
    ]);
    expect(record.history.at(-1)?.note).toBe('finish requested');

    await store.create(newTaskRecord({ name: 'b', mode: 'full', config }));
    const cancelled = await requestControl(store, 'b', 'cancel', { origin: 'cli:bob' });
    expect(cancelled.immediate).toBe(true);
    expect(cancelled.record.history.at(-1)).toMatchObject({ status: 'cancelled', origin: 'cli:bob' });
  });
});
