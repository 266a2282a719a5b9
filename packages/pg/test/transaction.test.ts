import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSavepoint, inTransaction } from '../src/index.js';

describe('transaction helpers', () => {
  let server: SandboxServer;
  let a: pg.Client;
  let b: pg.Client;

  beforeAll(async () => {
    server = await startPostgres({ major: 17 });
    a = await server.client();
    b = await server.client();
    await a.query('CREATE TABLE t (n int)');
  }, 120_000);

  afterAll(async () => {
    await a?.end();
    await b?.end();
    await server?.stop();
  });

  it('commits what the body did, and rolls all of it back when the body throws', async () => {
    await inTransaction(a, () => a.query('INSERT INTO t VALUES (1)'));
    await expect(
      inTransaction(a, async () => {
        await a.query('INSERT INTO t VALUES (2)');
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect((await b.query('SELECT array_agg(n) AS ns FROM t')).rows[0].ns).toEqual([1]);
  });

  it('keeps every session’s transaction usable after a failed query under the savepoint', async () => {
    await a.query('TRUNCATE t');
    await a.query('BEGIN');
    await b.query('BEGIN');
    try {
      await a.query('INSERT INTO t VALUES (10)');
      await expect(
        inSavepoint([a, b], 'probe', async () => {
          await a.query('INSERT INTO t VALUES (11)');
          await b.query('SELECT 1/0');
        }),
      ).rejects.toThrow(/division by zero/);
      // Both transactions go on: b's is not aborted, a's keeps the row from before the savepoint.
      expect((await b.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      const kept = await inSavepoint([a, b], 'probe', () => a.query('SELECT array_agg(n) AS ns FROM t'));
      expect(kept.rows[0].ns).toEqual([10]);
      await a.query('COMMIT');
    } finally {
      await a.query('ROLLBACK').catch(() => {});
      await b.query('ROLLBACK').catch(() => {});
    }
    expect((await b.query('SELECT array_agg(n) AS ns FROM t')).rows[0].ns).toEqual([10]);
  });
});
