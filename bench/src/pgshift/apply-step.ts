import { join } from 'node:path';
import { type Measured, runMeasured } from '../measure.js';
import { pluginEntry, REPO_ROOT } from './plugin-host.js';
import { type ChildResult, type FollowSpec, parseChildResult } from './spec.js';

export const REPLICATOR_DIR = join('plugins', 'replicator-logical');
const BENCH_DIR = join(REPO_ROOT, 'bench');

export function replicatorEntry(): string | undefined {
  return pluginEntry(REPLICATOR_DIR);
}

export interface ReplicatorRun {
  measured: Measured;
  result: ChildResult;
}

/** Runs follow-child.ts in one mode, measuring its process tree. */
export async function runReplicatorChild(
  mode: 'prepare' | 'follow' | 'cleanup',
  spec: FollowSpec,
  timeoutSeconds: number,
): Promise<ReplicatorRun> {
  const child = join(BENCH_DIR, 'src', 'pgshift', 'follow-child.ts');
  const measured = await runMeasured(
    process.execPath,
    [
      // PGSHIFT_BENCH_CPU_PROF=DIR writes a V8 CPU profile of the follow child there.
      ...(process.env.PGSHIFT_BENCH_CPU_PROF && mode === 'follow'
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.PGSHIFT_BENCH_CPU_PROF]
        : []),
      '--import',
      'tsx',
      child,
      mode,
      JSON.stringify(spec),
      String(timeoutSeconds),
    ],
    { cwd: BENCH_DIR },
  );
  const result = parseChildResult(measured.output) ?? {
    ok: false,
    seconds: 0,
    error: `the child printed no result (exit ${measured.exitCode}):\n${measured.output}`,
  };
  if (measured.exitCode !== 0 && result.ok) result.ok = false;
  return { measured, result };
}
