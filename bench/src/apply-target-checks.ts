import type { SandboxServer } from '@pgshift/sandbox';
import { differences, fingerprint } from './fingerprint.js';

/* What the apply benchmarks check on a target after each catch-up, and count while it runs. */

/** Differences of the source's tables on the target (pgshift keeps its own bookkeeping there too). */
export async function tableDifferences(
  source: SandboxServer,
  sourceDb: string,
  target: SandboxServer,
  targetDb: string,
): Promise<string[]> {
  const want = await fingerprint(source, sourceDb);
  const got = await fingerprint(target, targetDb);
  return differences({ ...want, sequences: {} }, { ...got, sequences: {} }).filter(
    (d) => !d.endsWith('only on the target'),
  );
}

export interface TargetCounters {
  commits: number;
  walSyncs: number;
}

/** Commits in one target database and WAL syncs of the whole target server (pg_stat_wal, 14+). */
export async function targetCounters(target: SandboxServer, database: string): Promise<TargetCounters> {
  if ((await target.versionNum()) < 150000) return { commits: Number.NaN, walSyncs: Number.NaN };
  const [row] = await target.query<{ commits: string; syncs: string }>(
    `SELECT pg_stat_force_next_flush(), (SELECT xact_commit FROM pg_stat_database WHERE datname = $1)::text AS commits,
            (SELECT wal_sync FROM pg_stat_wal)::text AS syncs`,
    [database],
    database,
  );
  return { commits: Number(row?.commits ?? 0), walSyncs: Number(row?.syncs ?? 0) };
}
