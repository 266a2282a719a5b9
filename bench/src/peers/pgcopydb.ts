import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxServer } from '@pgshift/sandbox';
import { DEBIAN_PG_BIN } from '../debian.js';
import { type Measured, runChecked } from '../measure.js';
import { uri } from '../servers.js';

export interface PgcopydbOptions {
  pgcopydb: string;
  source: SandboxServer;
  target: SandboxServer;
  database: string;
  jobs: number;
  /** --split-tables-larger-than, when given (pgcopydb 0.10 does not split by default). */
  splitTablesLargerThan?: string;
}

/**
 * `pgcopydb clone` with N table jobs and N index jobs into the (empty) target database. It wants
 * a work directory of its own; ownership and ACLs are skipped like for the other tools.
 */
export async function runPgcopydb(options: PgcopydbOptions): Promise<Measured> {
  const work = mkdtempSync(join(tmpdir(), 'pgshift-bench-pgcopydb-'));
  try {
    const args = [
      'clone',
      '--source',
      uri(options.source, options.database),
      '--target',
      uri(options.target, options.database),
      '--table-jobs',
      String(options.jobs),
      '--index-jobs',
      String(options.jobs),
      '--dir',
      join(work, 'run'),
      '--no-owner',
      '--no-acl',
    ];
    if (options.splitTablesLargerThan) args.push('--split-tables-larger-than', options.splitTablesLargerThan);
    // pgcopydb runs pg_dump/pg_restore for the schema: give it Debian's 15 ones first on PATH.
    const env = {
      ...process.env,
      PATH: `${DEBIAN_PG_BIN}:${process.env.PATH ?? ''}`,
      PGCOPYDB_LOG_LEVEL: 'warn',
    };
    return await runChecked(options.pgcopydb, args, { env });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
