import type { TaskRecord } from '@pgshift/tasks';
import { describe, expect, it } from 'vitest';
import { progressOf } from '../src/commands/task.js';

function record(
  copy: NonNullable<TaskRecord['live']>['copy'],
  status: TaskRecord['status'] = 'running',
): TaskRecord {
  return {
    version: 1,
    name: 'p',
    status,
    mode: 'full+incremental',
    createdAt: '2026-12-06T00:00:00.000Z',
    updatedAt: '2026-12-06T00:01:00.000Z',
    config: { path: '/x/p.yaml', fileName: 'p.yaml', text: '' },
    history: [],
    live: { at: '2026-12-06T00:01:00.000Z', ...(copy ? { copy } : {}) },
  };
}

describe('task list and task show progress', () => {
  const startedAt = '2026-12-06T00:00:00.000Z';

  it('is 100% with no ETA once every table is copied, though the size estimate said more', () => {
    // COPY sent 58% of what the tables take on disk: the estimate, not the copy, was off.
    const done = progressOf(
      record({ rows: 10, bytes: 580, totalBytes: 1000, tablesDone: 4, tablesTotal: 4, startedAt }),
    );
    expect(done.percent).toBe(100);
    expect(done.etaSeconds).toBeUndefined();
  });

  it('stays below 100% with an ETA while tables remain, even past the estimate', () => {
    const half = progressOf(
      record({ rows: 10, bytes: 500, totalBytes: 1000, tablesDone: 1, tablesTotal: 4, startedAt }),
    );
    expect(half.percent).toBe(50);
    expect(half.etaSeconds).toBe(60);
    const past = progressOf(
      record({ rows: 10, bytes: 1200, totalBytes: 1000, tablesDone: 3, tablesTotal: 4, startedAt }),
    );
    expect(past.percent).toBe(99);
  });
});
