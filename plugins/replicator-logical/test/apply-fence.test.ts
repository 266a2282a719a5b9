import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fenceEarlierRuns, joinApplyFence } from '../src/apply-fence.js';

/**
 * A run's target sessions outlive it when it is killed: what they have in flight (a COMMIT) lands
 * afterwards. The next run must not read the durable position until they are gone.
 */
let target: SandboxServer;

beforeAll(async () => {
  target = await startPostgres({ major: 17 });
  await target.query('CREATE TABLE t (n int)');
});

afterAll(async () => {
  await target?.stop();
});

async function session(): Promise<pg.Client> {
  const client = await target.client();
  client.on('error', () => {});
  return client;
}

async function alive(pid: number): Promise<boolean> {
  const rows = await target.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
  return rows.length > 0;
}

async function pidOf(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0]?.pid as number;
}

describe('apply fence', () => {
  it('ends an idle earlier session, waits for a busy one to commit, and only then lets a run read', async () => {
    const idle = await session();
    const busy = await session();
    const next = await session();
    try {
      await joinApplyFence(idle, 'slot_a');
      await joinApplyFence(busy, 'slot_a');
      await idle.query('BEGIN');
      await idle.query('INSERT INTO t VALUES (1)');
      const idlePid = await pidOf(idle);
      // The earlier run's last COMMIT, still running when the next run starts.
      await busy.query('BEGIN');
      await busy.query('INSERT INTO t VALUES (2)');
      const committing = busy.query('SELECT pg_sleep(1.5)').then(() => busy.query('COMMIT'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await fenceEarlierRuns(next, 'slot_a', 30_000);
      await committing;
      // By the time the fence let the run through, the busy session's COMMIT had landed.
      const { rows } = await next.query<{ n: number }>('SELECT n FROM t ORDER BY n');
      expect(rows).toEqual([{ n: 2 }]);
      expect(await alive(idlePid)).toBe(false);
    } finally {
      await Promise.all([idle, busy, next].map((c) => c.end().catch(() => {})));
    }
  });

  it('lets a run of another slot through, and fails after its wait naming a session still busy', async () => {
    const busy = await session();
    const other = await session();
    const next = await session();
    try {
      await joinApplyFence(busy, 'slot_b');
      const busyPid = await pidOf(busy);
      await fenceEarlierRuns(other, 'slot_c', 1_000);
      const running = busy.query('SELECT pg_sleep(5)').catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const error = await fenceEarlierRuns(next, 'slot_b', 500).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'PGSHIFT_REPL_SLOT_BUSY',
        message: expect.stringContaining(`process ${busyPid}`),
      });
      expect((error as { remedy?: string }).remedy).toContain(`pg_terminate_backend(${busyPid})`);
      await target.query('SELECT pg_cancel_backend($1)', [busyPid]);
      await running;
    } finally {
      await Promise.all([busy, other, next].map((c) => c.end().catch(() => {})));
    }
  });
});
