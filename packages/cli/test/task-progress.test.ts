import { progressOf, taskDetail, taskSummary } from '@pgshift/kernel';
import type { TaskRecord } from '@pgshift/tasks';
import { describe, expect, it } from 'vitest';

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

describe('the task views shared by the CLI and the console', () => {
  const text = `task:\n  name: p\nsource:\n  access: public-ip\n  host: db1.example\n  port: 5433\n  user: admin\n  password: hunter2\ntarget:\n  access: cloud-sql\n  host: 10.0.0.7\n  port: "5432"\n  database: app\n  password:\n    secret: env:TARGET_PW\nobjects:\n  databases: [app, crm]\nmode: full\n`;
  const stored = { ...record(undefined), config: { path: '/x/p.yaml', fileName: 'config.yaml', text } };

  it('describe the endpoints by host, port, access and database, never with a user or secret', () => {
    const summary = taskSummary(stored);
    expect(summary.source).toEqual({ access: 'public-ip', host: 'db1.example', port: 5433 });
    expect(summary.target).toEqual({ access: 'cloud-sql', host: '10.0.0.7', port: 5432, database: 'app' });
    expect(summary.databases).toEqual(['app', 'crm']);
    for (const view of [summary, taskDetail(stored)]) {
      const json = JSON.stringify(view);
      expect(json).not.toContain('hunter2');
      expect(json).not.toContain('TARGET_PW');
      expect(json).not.toContain('admin');
    }
    expect(taskDetail(stored).config).toEqual({ path: '/x/p.yaml' });
  });

  it('show no endpoints for a config module or text that does not parse', () => {
    expect(
      taskSummary({ ...stored, config: { ...stored.config, fileName: 'config.ts' } }).source,
    ).toBeUndefined();
    expect(
      taskSummary({ ...stored, config: { ...stored.config, text: 'source: [' } }).source,
    ).toBeUndefined();
  });
});
