import { mkdirSync } from 'node:fs';
import type { SandboxServer } from '@pgshift/sandbox';
import { type Measured, startMeasured } from '../measure.js';
import { CLI_BIN, CLI_ENV, writeCliConfig } from './full-copy-step.js';

/*
 * pgshift driven as a user drives it: `pgshift run -c FILE` (full+incremental). The first run
 * copies and starts following, then is stopped (Ctrl-C); each catch-up is a fresh `pgshift run`
 * that resumes from the durable position, timed from spawn, process start and plugin loading
 * included, until the target holds the whole backlog.
 */

export interface CliFollowTask {
  config: string;
  source: SandboxServer;
  target: SandboxServer;
  database: string;
}

/** A full+incremental task into `target` (its config under `dir`), named `name`. */
export function writeFollowConfig(
  dir: string,
  name: string,
  source: SandboxServer,
  target: SandboxServer,
  database: string,
  replicatorOptions?: Record<string, unknown>,
): CliFollowTask {
  mkdirSync(dir, { recursive: true });
  const config = writeCliConfig(dir, {
    source,
    target,
    database,
    jobs: 2,
    splitTableBytes: 1024 * 1024 * 1024,
    mode: 'full+incremental',
    taskName: name,
    ...(replicatorOptions ? { replicatorOptions } : {}),
  });
  return { config, source, target, database };
}

function startRun(task: CliFollowTask, onLine?: (line: string) => void) {
  return startMeasured(process.execPath, [CLI_BIN, 'run', '-c', task.config, '--no-verify'], {
    env: { ...process.env, ...CLI_ENV },
    ...(onLine ? { onStdoutLine: onLine } : {}),
  });
}

/** Stops a run as Ctrl-C does (a clean stop; the next run resumes), killing it if it hangs. */
async function stopRun(run: ReturnType<typeof startRun>): Promise<Measured> {
  run.child.kill('SIGINT');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 60_000);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}

/** The first run: schema, full copy, following started; then stopped, so a backlog can build. */
export async function copyAndStop(task: CliFollowTask, timeoutSeconds: number): Promise<void> {
  let following = false;
  const run = startRun(task, (line) => {
    if (line.includes('syncing: started')) following = true;
  });
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (!following) {
    if (run.child.exitCode !== null || Date.now() > deadline) {
      const measured = await stopRun(run);
      throw new Error(`pgshift run did not reach following:\n${measured.output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopRun(run);
}

async function historyRows(server: SandboxServer, database: string): Promise<number> {
  const [row] = await server.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM public.pgbench_history',
    undefined,
    database,
  );
  return Number(row?.n);
}

export interface CliCatchUp {
  /** From spawn until the target held every pgbench_history row of the backlog. */
  seconds: number;
  measured: Measured;
}

/**
 * A fresh `pgshift run` until the target holds `expectedHistoryRows` rows in pgbench_history (each
 * backlog transaction inserts one, last, and pgshift commits in source order, as the native
 * subscription is timed), then a clean stop. Memory and CPU cover the process's whole life.
 */
export async function catchUpCli(
  task: CliFollowTask,
  expectedHistoryRows: number,
  timeoutSeconds: number,
): Promise<CliCatchUp> {
  const run = startRun(task);
  let seconds = 0;
  try {
    for (;;) {
      if (run.child.exitCode !== null)
        throw new Error(`pgshift run exited early:\n${(await run.done).output}`);
      const rows = await historyRows(task.target, task.database);
      seconds = Number(process.hrtime.bigint() - run.started) / 1e9;
      if (rows >= expectedHistoryRows) break;
      if (seconds > timeoutSeconds) throw new Error(`pgshift not caught up within ${timeoutSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch (error) {
    await stopRun(run);
    throw error;
  }
  return { seconds, measured: await stopRun(run) };
}
