/**
 * bench/apply-scale: catch-up of large backlogs by the `pgshift` CLI (process start included)
 * against PostgreSQL's own subscription, in the same run on the same servers, reading the same WAL:
 * (a) `pgbench -N` (mostly disjoint keys), (b) default TPC-B (every transaction updates
 * pgbench_branches), (c) single transactions of 1M rows, with peak memory.
 *
 *   pnpm --filter @pgshift/bench apply-scale -- --transactions 100000 --scale 20
 *
 * Options: --transactions N (100000), --scale N (20), --clients N (4), --bulk-rows N (1000000),
 * --rounds N (3), --bulk-rounds N (2), --major N (15), --timeout S (1800), --only NAME,NAME
 * (disjoint, tpcb, bulk), --apply-sessions N (also measure a second pgshift task with the
 * replicator's applySessions N, into a target server of its own), --no-install, --no-doc.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SandboxServer } from '@pgshift/sandbox';
import type { ApplyResult } from './apply-rate-result.js';
import { summarize } from './apply-rounds.js';
import {
  type ApplyScaleOptions,
  type ApplyScaleResult,
  applyScaleSection,
  printApplyScale,
  type WorkloadResult,
} from './apply-scale-report.js';
import { bulk, disjointKeys, tpcb, type Workload } from './apply-scale-workloads.js';
import { tableDifferences, targetCounters } from './apply-target-checks.js';
import { numberArg, parseArgs } from './args.js';
import { peerTools } from './debian.js';
import { machineFacts } from './machine.js';
import { mib, runChecked } from './measure.js';
import { catchUpNative, createNativeSubscription, disableNative } from './peers/native-subscription.js';
import { type CliFollowTask, catchUpCli, copyAndStop, writeFollowConfig } from './pgshift/cli-follow-step.js';
import { writeSection } from './report.js';
import { freshDatabase, ServerSet, settle, uri } from './servers.js';

const SOURCE_DB = 'bench';
const NATIVE_DB = 'bench_native';
const NATIVE_NAME = 'bench_native';
const PGBENCH_TABLES = ['pgbench_accounts', 'pgbench_branches', 'pgbench_history', 'pgbench_tellers'].map(
  (t) => `public.${t}`,
);

async function historyCount(task: { source: CliFollowTask['source'] }): Promise<number> {
  const [row] = await task.source.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM public.pgbench_history',
    undefined,
    SOURCE_DB,
  );
  return Number(row?.n);
}

export async function runApplyScaleBench(options: ApplyScaleOptions): Promise<ApplyScaleResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tools = peerTools(options.install);
  if (!tools.pgbench) throw new Error(`pgbench is required: ${tools.missing.join('; ')}`);
  const pgbench = tools.pgbench;
  const servers = new ServerSet(options.durable ?? true);
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-bench-apply-scale-'));
  try {
    const source = await servers.start('source', options.major);
    const target = await servers.start('target', options.major);
    const machine = await machineFacts(source);
    await freshDatabase(source, SOURCE_DB);
    await freshDatabase(target, SOURCE_DB);
    await freshDatabase(target, NATIVE_DB);
    log(`pgbench -i -s ${options.scale} on the source and the native target ...`);
    // pgbench's initial data is deterministic: initialising the native side is its initial copy.
    await runChecked(pgbench, ['-i', '-q', '-s', String(options.scale), uri(source, SOURCE_DB)]);
    await runChecked(pgbench, ['-i', '-q', '-s', String(options.scale), uri(target, NATIVE_DB)]);
    const native = {
      source,
      target,
      sourceDatabase: SOURCE_DB,
      targetDatabase: NATIVE_DB,
      name: NATIVE_NAME,
      tables: PGBENCH_TABLES,
    };
    await createNativeSubscription(native);
    // pgshift's tasks: the default, and with --apply-sessions one more into a target of its own
    // (pgshift applies into the database of the source's name).
    const tasks: { tool: string; target: SandboxServer; task: CliFollowTask }[] = [
      {
        tool: 'pgshift',
        target,
        task: writeFollowConfig(join(dir, 'default'), 'bench-follow', source, target, SOURCE_DB),
      },
    ];
    if (options.applySessions) {
      const second = await servers.start('target for applySessions', options.major);
      await freshDatabase(second, SOURCE_DB);
      const replicator = { applySessions: options.applySessions };
      const task = writeFollowConfig(
        join(dir, 'parallel'),
        'bench-follow-parallel',
        source,
        second,
        SOURCE_DB,
        replicator,
      );
      tasks.push({ tool: `pgshift, applySessions ${options.applySessions}`, target: second, task });
    }
    for (const { tool, task, target: into } of tasks) {
      log(`${tool}: pgshift run: schema, full copy, following; then stopped ...`);
      await copyAndStop(task, options.timeoutSeconds);
      const diff = await tableDifferences(source, SOURCE_DB, into, SOURCE_DB);
      if (diff.length > 0) throw new Error(`the initial copy of ${tool} differs: ${diff.join('; ')}`);
    }
    const nativeDiff = await tableDifferences(source, SOURCE_DB, target, NATIVE_DB);
    if (nativeDiff.length > 0)
      throw new Error(`the native target's initial data differs: ${nativeDiff.join('; ')}`);

    const workloads: { workload: Workload; rounds: number }[] = [];
    const only = options.only;
    if (!only || only.includes('disjoint'))
      workloads.push({
        workload: disjointKeys(options.transactions, options.clients),
        rounds: options.rounds,
      });
    if (!only || only.includes('tpcb'))
      workloads.push({ workload: tpcb(options.transactions, options.clients), rounds: options.rounds });
    if (!only || only.includes('bulk'))
      workloads.push({ workload: bulk(options.bulkRows), rounds: options.bulkRounds });

    const results: WorkloadResult[] = [];
    for (const { workload, rounds } of workloads) {
      const perTool = new Map<string, ApplyResult[]>([
        ['native subscription', []],
        ...tasks.map((t): [string, ApplyResult[]] => [t.tool, []]),
      ]);
      const backlogSeconds: number[] = [];
      const walBytes: number[] = [];
      for (let round = 0; round < rounds; round++) {
        log(`${workload.name}, round ${round + 1} of ${rounds}: making the backlog ...`);
        const [start] = await source.query<{ l: string }>('SELECT pg_current_wal_lsn()::text AS l');
        const began = process.hrtime.bigint();
        await workload.make(pgbench, source, SOURCE_DB);
        backlogSeconds.push(Number(process.hrtime.bigint() - began) / 1e9);
        const [wal] = await source.query<{ b: string }>(
          'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint::text AS b',
          [start?.l],
        );
        walBytes.push(Number(wal?.b));
        const expected = await historyCount({ source });
        log(`backlog: ${mib(Number(wal?.b))} of WAL in ${backlogSeconds.at(-1)?.toFixed(1)} s`);

        const runNative = async (): Promise<ApplyResult> => {
          await settle(source, target);
          log('native subscription catching up ...');
          try {
            const before = await targetCounters(target, NATIVE_DB);
            const caught = await catchUpNative(native, expected, options.timeoutSeconds);
            await disableNative(native);
            const after = await targetCounters(target, NATIVE_DB);
            const diff = await tableDifferences(source, SOURCE_DB, target, NATIVE_DB);
            return {
              tool: 'native subscription',
              status: diff.length === 0 ? 'ok' : 'mismatch',
              seconds: caught.seconds,
              rate: workload.units / caught.seconds,
              peakRssBytes: caught.workerPeakAnonBytes,
              targetCommits: after.commits - before.commits,
              targetWalSyncs: after.walSyncs - before.walSyncs,
              notes: [],
              differences: diff,
            };
          } catch (error) {
            return {
              tool: 'native subscription',
              status: 'failed',
              notes: [(error as Error).message],
              differences: [],
            };
          }
        };
        const runPgshift = async ({
          tool,
          task,
          target: into,
        }: (typeof tasks)[number]): Promise<ApplyResult> => {
          await settle(source, into);
          log(`${tool} catching up ...`);
          try {
            const before = await targetCounters(into, SOURCE_DB);
            const caught = await catchUpCli(task, expected, options.timeoutSeconds);
            const after = await targetCounters(into, SOURCE_DB);
            const diff = await tableDifferences(source, SOURCE_DB, into, SOURCE_DB);
            return {
              tool,
              status: diff.length === 0 ? 'ok' : 'mismatch',
              seconds: caught.seconds,
              rate: workload.units / caught.seconds,
              peakRssBytes: caught.measured.peakRssBytes,
              cpuSeconds: caught.measured.cpuSeconds,
              targetCommits: after.commits - before.commits,
              targetWalSyncs: after.walSyncs - before.walSyncs,
              notes: [],
              differences: diff,
            };
          } catch (error) {
            return { tool, status: 'failed', notes: [(error as Error).message], differences: [] };
          }
        };
        // Alternate who goes first, so neither always meets the warmer caches.
        const steps = [runNative, ...tasks.map((t) => () => runPgshift(t))];
        for (const step of round % 2 === 0 ? steps : steps.reverse()) {
          const result = await step();
          log(`${result.tool}: ${result.status} ${result.seconds?.toFixed(2) ?? '-'} s`);
          perTool.get(result.tool)?.push(result);
        }
      }
      results.push({
        workload,
        backlogSeconds,
        walBytes,
        results: [...perTool.values()].filter((r) => r.length > 0).map(summarize),
      });
    }
    return { options, machine, results };
  } finally {
    await servers.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: ApplyScaleOptions = {
    transactions: numberArg(args, 'transactions', 100_000),
    scale: numberArg(args, 'scale', 20),
    clients: numberArg(args, 'clients', 4),
    bulkRows: numberArg(args, 'bulk-rows', 1_000_000),
    rounds: numberArg(args, 'rounds', 3),
    bulkRounds: numberArg(args, 'bulk-rounds', 2),
    major: numberArg(args, 'major', 15),
    timeoutSeconds: numberArg(args, 'timeout', 1800),
    install: !args.has('no-install'),
    writeDoc: !args.has('no-doc'),
    ...(args.has('only') ? { only: (args.get('only') ?? '').split(',') } : {}),
    ...(args.has('apply-sessions') ? { applySessions: numberArg(args, 'apply-sessions', 1) } : {}),
  };
  const result = await runApplyScaleBench(options);
  printApplyScale(result);
  if (options.writeDoc) writeSection('apply-scale', applyScaleSection(result));
  if (result.results.some((w) => w.results.some((r) => r.status !== 'ok'))) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
