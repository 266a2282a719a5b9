import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxServer } from '@pgshift/sandbox';
import { type Measured, runChecked } from '../measure.js';
import { uri } from '../servers.js';

export interface PgDumpResult {
  dump: Measured;
  restore: Measured;
  seconds: number;
  peakRssBytes: number;
  cpuSeconds: number;
  /** Bytes the directory-format dump staged on local disk. */
  stagedBytes: number;
}

export interface PgDumpOptions {
  pgDump: string;
  pgRestore: string;
  source: SandboxServer;
  target: SandboxServer;
  database: string;
  jobs: number;
  /** pg_dump -Z level; 0 by default so the peer does not spend the CPUs on gzip. */
  compress: number;
}

async function directoryBytes(dir: string): Promise<number> {
  const { readdirSync, statSync } = await import('node:fs');
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/**
 * `pg_dump -Fd -j N` to a staging directory, then `pg_restore -j N` into the (empty) target
 * database; timed together. A directory dump cannot be piped, so the data lands on disk once.
 */
export async function runPgDump(options: PgDumpOptions): Promise<PgDumpResult> {
  const staging = mkdtempSync(join(tmpdir(), 'pgshift-bench-dump-'));
  const dir = join(staging, 'dump');
  try {
    const dump = await runChecked(options.pgDump, [
      '-Fd',
      '-j',
      String(options.jobs),
      '-Z',
      String(options.compress),
      '-f',
      dir,
      '-d',
      uri(options.source, options.database),
    ]);
    const stagedBytes = await directoryBytes(dir);
    const restore = await runChecked(options.pgRestore, [
      '-j',
      String(options.jobs),
      '--no-owner',
      '--no-acl',
      '--exit-on-error',
      '-d',
      uri(options.target, options.database),
      dir,
    ]);
    return {
      dump,
      restore,
      seconds: dump.seconds + restore.seconds,
      peakRssBytes: Math.max(dump.peakRssBytes, restore.peakRssBytes),
      cpuSeconds: dump.cpuSeconds + restore.cpuSeconds,
      stagedBytes,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
