import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dockerAvailability, installedMajors, startContainerPostgres, startPostgres } from '../src/index.js';

function serverProcessesFor(dir: string): number {
  // Every postgres process has its data directory on its command line.
  let count = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(dir)) count++;
    } catch {
      // the process ended while we looked
    }
  }
  return count;
}

describe('sandbox', () => {
  it('has the default majors installed', () => {
    expect(installedMajors()).toEqual(expect.arrayContaining([10, 13, 15, 17]));
  });

  for (const major of [10, 17]) {
    it(`starts PostgreSQL ${major}, runs queries, and leaves nothing behind`, async () => {
      const server = await startPostgres({ major, settings: { max_replication_slots: 7 } });
      const dir = server.baseDir;
      try {
        expect(existsSync(dir)).toBe(true);
        expect(Math.floor((await server.versionNum()) / 10000)).toBe(major);
        const rows = await server.query<{ slots: string; wal: string }>(
          "SELECT current_setting('max_replication_slots') AS slots, current_setting('wal_level') AS wal",
        );
        expect(rows).toEqual([{ slots: '7', wal: 'logical' }]);
        await server.query(
          'CREATE TABLE t (id int primary key, v text); INSERT INTO t VALUES (1, $$a$$), (2, NULL)',
        );
        expect(await server.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 2 }]);
        expect(serverProcessesFor(dir)).toBeGreaterThan(0);
      } finally {
        await server.stop();
      }
      expect(existsSync(dir)).toBe(false);
      expect(serverProcessesFor(dir)).toBe(0);
    });
  }

  it('enforces a password and custom pg_hba lines when asked', async () => {
    const server = await startPostgres({
      major: 15,
      password: 's3cret-sandbox',
      hba: ['local all all trust', 'host all all 127.0.0.1/32 scram-sha-256'],
    });
    try {
      expect(await server.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      const pg = (await import('pg')).default;
      const wrong = new pg.Client({ ...server.connection(), password: 'wrong' });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
      await wrong.end().catch(() => {});
      // Without a `replication` line, physical walsender connections are refused.
      const replication = new pg.Client({ ...server.connection(), replication: 'true' } as never);
      replication.on('error', () => {});
      await expect(replication.connect()).rejects.toThrow(/no pg_hba.conf entry for replication/);
      await replication.end().catch(() => {});
    } finally {
      await server.stop();
    }
  });

  it('leaves no sandbox directory in the temp dir after stopping several servers', async () => {
    const servers = await Promise.all([startPostgres({ major: 13 }), startPostgres({ major: 15 })]);
    const dirs = servers.map((s) => s.baseDir);
    await Promise.all(servers.map((s) => s.stop()));
    const left = readdirSync(tmpdir()).filter((name) => dirs.some((d) => d.endsWith(name)));
    expect(left).toEqual([]);
  });

  it('offers other images through testcontainers when Docker is reachable', async (ctx) => {
    const docker = await dockerAvailability();
    if (!docker.available) {
      ctx.skip(`postgres:9.5 via testcontainers: ${docker.reason}`);
      return;
    }
    const server = await startContainerPostgres({ image: 'postgres:9.5' });
    try {
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
