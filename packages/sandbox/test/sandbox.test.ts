import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  binariesVariable,
  dockerAvailability,
  installedMajors,
  SOURCE_BUILT_MAJORS,
  sourceBuiltBinaries,
  startContainerPostgres,
  startPostgres,
} from '../src/index.js';

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

  it('takes a server down and brings it up again with its data, as a restart does', async () => {
    const server = await startPostgres({ major: 15 });
    try {
      await server.query('CREATE TABLE kept (a int); INSERT INTO kept VALUES (1)');
      const open = await server.client();
      open.on('error', () => {});
      await server.takeDown();
      expect(existsSync(`${server.dataDir}/postmaster.pid`)).toBe(false);
      await expect(open.query('SELECT 1')).rejects.toThrow();
      await expect(server.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
      await server.bringUp();
      expect(await server.query('SELECT a FROM kept')).toEqual([{ a: 1 }]);
      await server.restart(100);
      expect(await server.query('SELECT a FROM kept')).toEqual([{ a: 1 }]);
      await open.end().catch(() => {});
    } finally {
      await server.stop();
    }
    expect(existsSync(server.baseDir)).toBe(false);
  });

  it('leaves no sandbox directory in the temp dir after stopping several servers', async () => {
    const servers = await Promise.all([startPostgres({ major: 13 }), startPostgres({ major: 15 })]);
    const dirs = servers.map((s) => s.baseDir);
    await Promise.all(servers.map((s) => s.stop()));
    // Each server's own directory, by its full path: another entry of the temp dir whose name
    // happens to end one of them is not a leftover.
    const left = readdirSync(tmpdir())
      .map((name) => join(tmpdir(), name))
      .filter((path) => dirs.includes(path));
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

  for (const major of SOURCE_BUILT_MAJORS) {
    const { missing } = sourceBuiltBinaries(major);
    it.skipIf(missing)(
      `starts a source-built PostgreSQL ${major}${missing ? ` (skipped: ${missing})` : ''}`,
      async () => {
        const server = await startPostgres({ major });
        try {
          const num = await server.versionNum();
          expect(`${Math.floor(num / 10000)}.${Math.floor(num / 100) % 100}`).toBe(String(major));
          const [row] = await server.query<{ wal: string }>("SELECT current_setting('wal_level') AS wal");
          // Logical decoding exists from 9.4; 9.3 runs at the highest level it has.
          expect(row?.wal).toBe(major >= 9.4 ? 'logical' : 'hot_standby');
          await server.query('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)');
          expect(await server.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 2 }]);
        } finally {
          await server.stop();
        }
      },
    );
  }

  it('names the variable and the cache directory when a source-built major is missing', () => {
    const variable = binariesVariable(9.4);
    expect(variable).toBe('PGSHIFT_PG_BIN_9_4');
    const saved = { env: process.env[variable], cache: process.env.XDG_CACHE_HOME };
    process.env[variable] = '/nonexistent/pg94';
    try {
      expect(sourceBuiltBinaries(9.4).missing).toBe(
        `${variable}=/nonexistent/pg94 holds no bin/postgres and bin/initdb`,
      );
      delete process.env[variable];
      process.env.XDG_CACHE_HOME = '/nonexistent-cache';
      expect(sourceBuiltBinaries(9.4).missing).toMatch(
        /^set PGSHIFT_PG_BIN_9_4 to a PostgreSQL 9\.4 installation .*\/nonexistent-cache\/pgshift\/postgres\/9\.4/,
      );
    } finally {
      if (saved.env === undefined) delete process.env[variable];
      else process.env[variable] = saved.env;
      if (saved.cache === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved.cache;
    }
  });
});
