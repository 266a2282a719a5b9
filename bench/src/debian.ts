import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's PostgreSQL 15 client tools (pg_dump, pg_restore, pgbench, psql). */
export const DEBIAN_PG_BIN = '/usr/lib/postgresql/15/bin';
export const PGCOPYDB = '/usr/bin/pgcopydb';

export interface PeerTools {
  pgDump?: string;
  pgRestore?: string;
  psql?: string;
  pgbench?: string;
  pgcopydb?: string;
  /** Why a tool is missing, for the report. */
  missing: string[];
}

function aptInstall(packages: string[]): void {
  process.stderr.write(`installing ${packages.join(' ')} with apt-get\n`);
  const run = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    run(['install', '-y', ...packages]);
  } catch {
    run(['update']);
    run(['install', '-y', ...packages]);
  }
}

/**
 * Finds the peers' binaries; with `install`, installs the Debian packages that are missing
 * (root only). Without it, missing tools are reported, never faked.
 */
export function peerTools(install: boolean): PeerTools {
  const bin = (name: string) => `${DEBIAN_PG_BIN}/${name}`;
  const wanted: string[] = [];
  if (!existsSync(bin('pg_dump')) || !existsSync(bin('pgbench'))) wanted.push('postgresql-15');
  if (!existsSync(PGCOPYDB)) wanted.push('pgcopydb');
  if (install && wanted.length > 0 && process.getuid?.() === 0) {
    try {
      aptInstall(wanted);
    } catch (error) {
      process.stderr.write(`apt-get failed: ${(error as Error).message}\n`);
    }
  }
  const tools: PeerTools = { missing: [] };
  const found = (path: string, what: string) => {
    if (existsSync(path)) return path;
    tools.missing.push(
      `${what} not found at ${path} (Debian package ${what === 'pgcopydb' ? 'pgcopydb' : 'postgresql-15'})`,
    );
    return undefined;
  };
  const pgDump = found(bin('pg_dump'), 'pg_dump');
  const pgRestore = found(bin('pg_restore'), 'pg_restore');
  const psql = found(bin('psql'), 'psql');
  const pgbench = found(bin('pgbench'), 'pgbench');
  const pgcopydb = found(PGCOPYDB, 'pgcopydb');
  if (pgDump) tools.pgDump = pgDump;
  if (pgRestore) tools.pgRestore = pgRestore;
  if (psql) tools.psql = psql;
  if (pgbench) tools.pgbench = pgbench;
  if (pgcopydb) tools.pgcopydb = pgcopydb;
  return tools;
}
