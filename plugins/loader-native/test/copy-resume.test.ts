import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChunkSpec, exportSnapshot } from '@pgshift/pg';
import { isPgshiftError } from '@pgshift/plugin-api';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../src/index.js';
import { freshDatabase, opener, rows, run } from './copy-fixtures.js';

const TABLES = `
  CREATE TABLE big (id int PRIMARY KEY, payload text NOT NULL);
  CREATE TABLE mid (id int PRIMARY KEY, payload text);
  CREATE TABLE small (id int PRIMARY KEY, payload text);`;

const CONTENT = `SELECT (SELECT count(*) FROM big)::text AS big, (SELECT count(DISTINCT id) FROM big)::text AS big_distinct,
    (SELECT md5(string_agg(id || payload, ',' ORDER BY id)) FROM big) AS big_hash,
    (SELECT count(*) FROM mid)::text AS mid, (SELECT count(*) FROM small)::text AS small`;

const DONE = `SELECT table_key || '#' || chunk AS chunk, done_at::text AS at FROM pgshift.copy_progress
  WHERE done_at IS NOT NULL ORDER BY 1`;

describe('resume', () => {
  let pg: SandboxServer;
  beforeAll(async () => {
    pg = await startPostgres({ major: 17 });
    await freshDatabase(pg, 'r_src');
    await run(
      pg,
      'r_src',
      `${TABLES}
       INSERT INTO big SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 30000) g;
       INSERT INTO mid SELECT g, md5(g::text) FROM generate_series(1, 2000) g;
       INSERT INTO small VALUES (1, 'one');
       ANALYZE;`,
    );
  });
  afterAll(async () => {
    await pg?.stop();
  });

  async function target(db: string) {
    await freshDatabase(pg, db);
    await run(pg, db, TABLES);
  }

  it('a copy killed midway and run again has every row once and does not recopy finished chunks', async () => {
    await target('r_kill');
    // The snapshot outlives the killed process, as a replication slot's exporting session would.
    const snapshot = await exportSnapshot(opener(pg, 'r_src'));
    try {
      const [expected] = await rows(pg, 'r_src', CONTENT);
      // Changes after the snapshot must not show up in the copy, before or after the kill.
      await run(pg, 'r_src', `DELETE FROM big WHERE id <= 100; INSERT INTO small VALUES (2, 'late')`);
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./copy-resume-child.ts', import.meta.url)),
          JSON.stringify(pg.connection('r_src')),
          JSON.stringify(pg.connection('r_kill')),
          'r_src',
          snapshot.name,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const ready = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (data: Buffer) => {
          out += data.toString();
          if (/READY|FINISHED/.test(out)) resolve(out);
        });
        child.on('exit', () => resolve(out));
      });
      expect(ready).toContain('READY');
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      const doneBefore = await rows<{ chunk: string; at: string }>(pg, 'r_kill', DONE);
      const total = await rows(pg, 'r_kill', 'SELECT count(*)::text AS n FROM pgshift.copy_progress');
      expect(doneBefore.length).toBeGreaterThanOrEqual(3);
      expect(doneBefore.length).toBeLessThan(Number(total[0]?.n));
      // Nothing of the chunks in flight when killed is visible: only committed chunks' rows are.
      const [partial] = await rows(
        pg,
        'r_kill',
        `SELECT (SELECT count(*) FROM big)::text AS n,
                (SELECT coalesce(sum(rows), 0)::text FROM pgshift.copy_progress WHERE table_key = '"public"."big"') AS marked`,
      );
      expect(partial?.n).toBe(partial?.marked);

      const copied: ChunkSpec[] = [];
      const result = await copyDatabase({
        openSource: opener(pg, 'r_src'),
        openTarget: opener(pg, 'r_kill'),
        database: 'r_src',
        snapshot: snapshot.name,
        jobs: 2,
        splitTableBytes: 64 * 1024,
        onLostSnapshot: 'fail',
        hooks: { chunkCommitted: (c) => void copied.push(c) },
      });
      expect(result.consistent).toBe(true);
      expect(result.chunksSkipped).toBe(doneBefore.length);
      expect(copied).toHaveLength(result.chunks - doneBefore.length);
      const doneAfter = await rows<{ chunk: string; at: string }>(pg, 'r_kill', DONE);
      for (const d of doneBefore) expect(doneAfter).toContainEqual(d); // not recopied
      const [actual] = await rows(pg, 'r_kill', CONTENT);
      expect(actual).toEqual(expected);
      expect(actual?.big).toBe('30000');
    } finally {
      await snapshot.release();
    }
  });

  it('stops between chunks when its signal is aborted, and a rerun finishes the job', async () => {
    await target('r_abort');
    const snapshot = await exportSnapshot(opener(pg, 'r_src'));
    try {
      const base = {
        openSource: opener(pg, 'r_src'),
        openTarget: opener(pg, 'r_abort'),
        database: 'r_src',
        snapshot: snapshot.name,
        jobs: 2,
        splitTableBytes: 64 * 1024,
        onLostSnapshot: 'fail' as const,
      };
      const controller = new AbortController();
      const error = await copyDatabase({
        ...base,
        signal: controller.signal,
        hooks: { chunkCommitted: () => controller.abort() },
      }).catch((e: unknown) => e);
      expect(isPgshiftError(error) && error.code).toBe('PGSHIFT_ABORTED');
      const done = (await rows(pg, 'r_abort', DONE)).length;
      expect(done).toBeGreaterThan(0);
      const result = await copyDatabase(base);
      expect(result.chunksSkipped).toBe(done);
      expect(await rows(pg, 'r_abort', CONTENT)).toEqual(await rows(pg, 'r_src', CONTENT));
    } finally {
      await snapshot.release();
    }
  });

  /** A copy under its own snapshot that stops with an error when `stopAt` says so; the snapshot dies with it. */
  async function interrupted(db: string, stopAt: (chunk: ChunkSpec) => boolean) {
    await target(db);
    await expect(
      copyDatabase({
        openSource: opener(pg, 'r_src'),
        openTarget: opener(pg, db),
        database: 'r_src',
        jobs: 1,
        splitTableBytes: 64 * 1024,
        onLostSnapshot: 'fail',
        hooks: {
          chunkCopied: (c) => {
            if (stopAt(c)) throw new Error('stopped by the test');
          },
        },
      }),
    ).rejects.toThrow(/stopped by the test/);
    return (await rows(pg, db, DONE)).length;
  }

  const again = (db: string, onLostSnapshot: 'fail' | 'restart' | 'per-table') =>
    copyDatabase({
      openSource: opener(pg, 'r_src'),
      openTarget: opener(pg, db),
      database: 'r_src',
      jobs: 2,
      splitTableBytes: 64 * 1024,
      onLostSnapshot,
    });

  it('lost snapshot, fail: refuses with PGSHIFT_SNAPSHOT_LOST and names the choices', async () => {
    const done = await interrupted('r_fail', (c) => c.table === '"public"."small"');
    expect(done).toBeGreaterThan(0);
    const error = await again('r_fail', 'fail').catch((e: unknown) => e);
    expect(isPgshiftError(error) && error.code).toBe('PGSHIFT_SNAPSHOT_LOST');
    expect(String((error as Error).message)).toMatch(/no longer be read as of the same point in time/);
    expect(isPgshiftError(error) && error.remedy).toMatch(/"restart".*"per-table"/s);
    expect((await rows(pg, 'r_fail', DONE)).length).toBe(done); // nothing touched
  });

  it('lost snapshot, restart: empties what was copied and copies all again, consistently', async () => {
    await interrupted('r_restart', (c) => c.table === '"public"."small"');
    const result = await again('r_restart', 'restart');
    expect(result).toMatchObject({ consistent: true, chunksSkipped: 0 });
    const [expected] = await rows(pg, 'r_src', CONTENT);
    expect(await rows(pg, 'r_restart', CONTENT)).toEqual([expected]);
  });

  it('lost snapshot, restart: empties the copied tables alone, not a foreign table inheriting one', async () => {
    await interrupted('r_foreign', (c) => c.table === '"public"."small"');
    // A wrapper without a handler: any attempt to read or empty the foreign table fails.
    await run(
      pg,
      'r_foreign',
      'CREATE FOREIGN DATA WRAPPER w; CREATE SERVER s FOREIGN DATA WRAPPER w; CREATE FOREIGN TABLE small_remote () INHERITS (small) SERVER s',
    );
    const result = await again('r_foreign', 'restart');
    expect(result).toMatchObject({ consistent: true, chunksSkipped: 0 });
    await run(pg, 'r_foreign', 'DROP FOREIGN TABLE small_remote');
    const [expected] = await rows(pg, 'r_src', CONTENT);
    expect(await rows(pg, 'r_foreign', CONTENT)).toEqual([expected]);
  });

  it('lost snapshot, per-table: keeps finished tables, continues under a new snapshot, says it is not consistent', async () => {
    const done = await interrupted('r_pertable', (c) => c.table === '"public"."small"');
    const result = await again('r_pertable', 'per-table');
    expect(result).toMatchObject({ consistent: false, chunksSkipped: done, skipped: 2 });
    const [expected] = await rows(pg, 'r_src', CONTENT);
    expect(await rows(pg, 'r_pertable', CONTENT)).toEqual([expected]);
  });

  it('lost snapshot, per-table: a table split by ctid and only partly copied is copied again whole', async () => {
    let seen = 0;
    const done = await interrupted('r_partial', (c) => c.table === '"public"."big"' && ++seen === 3);
    expect(done).toBe(2);
    const result = await again('r_partial', 'per-table');
    expect(result).toMatchObject({ consistent: false, chunksSkipped: 0 });
    const [expected] = await rows(pg, 'r_src', CONTENT);
    expect(await rows(pg, 'r_partial', CONTENT)).toEqual([expected]);
  });
});
