import { formatLiveVerifyReport, liveVerifyDatabase, openClient, repairedRow } from '@pgshift/pg';
import type { ResolvedDatabase, ServerHandle } from '@pgshift/plugin-api';
import type { LoadedTask } from '../loaded-task.js';
import type { VerifyOutcome } from './migration-deps.js';
import { replicationName } from './names.js';

export interface LiveVerifyRequest {
  /** Re-copy the rows found different on the target. */
  repair?: boolean;
  /** How long to wait for sync to apply up to a position of the source. */
  waitSeconds?: number;
  signal?: AbortSignal;
}

/** What a live verify did, besides the report: the rows it repaired per table. */
export interface LiveVerifyOutcome extends VerifyOutcome {
  repaired: { table: string; rows: number }[];
}

/**
 * Live verify of one database of a task that is following: compares the rows at aligned positions
 * while sync runs and, with `repair`, re-copies those that differ (see docs/verify.md).
 */
export async function liveVerifyOne(
  task: LoadedTask,
  source: ServerHandle,
  target: ServerHandle,
  database: ResolvedDatabase,
  request: LiveVerifyRequest = {},
): Promise<LiveVerifyOutcome> {
  const name = database.name;
  // Application names start with `pgshift`: the write guard lets the repair through, as it does the apply.
  const open =
    (server: ServerHandle, replication = false) =>
    () =>
      openClient(
        server.route.connection({ database: name, ...(replication ? { replication: true } : {}) }),
        `pgshift-verify-${server.role}`,
      );
  const report = await liveVerifyDatabase(
    { source: open(source), sourceReplication: open(source, true), target: open(target) },
    name,
    {
      slotName: replicationName(task.config.task.name, name),
      ...(database.whole ? {} : { tables: database.tables }),
      ...(task.config.options.jobs === undefined ? {} : { jobs: task.config.options.jobs }),
      ...(request.repair ? { repair: true } : {}),
      ...(request.waitSeconds === undefined ? {} : { waitMs: request.waitSeconds * 1000 }),
      ...(request.signal ? { signal: request.signal } : {}),
    },
  );
  const repaired = report.tables
    .map((t) => ({ table: t.table, rows: t.differences.filter(repairedRow).length }))
    .filter((t) => t.rows > 0);
  return {
    database: name,
    ok: report.ok,
    lines: formatLiveVerifyReport(report).split('\n'),
    details: { ...report },
    repaired,
  };
}
