/**
 * bench/apply-rate: a backlog of N pgbench transactions made while nothing is consuming it, then
 * the time to catch up — PostgreSQL's own subscription (copy_data = false) and pgshift's
 * replicator, one after the other, on the same source and target servers, reading the same WAL.
 *
 *   pnpm --filter @pgshift/bench apply-rate -- --transactions 20000
 *
 * Options: --transactions N (20000), --scale N (pgbench scale, 1), --clients N (4), --major N (15),
 * --rounds N (3; a fresh backlog each round, the consumers' order alternating; medians reported),
 * --timeout S (1800), --no-install, --no-doc.
 */
import { pathToFileURL } from 'node:url';
import type { SandboxServer } from '@pgshift/sandbox';
import { applyRateSection, printApplyRate } from './apply-rate-report.js';
import type { ApplyRateOptions, ApplyRateResult, ApplyResult, Backlog } from './apply-rate-result.js';
import { summarize } from './apply-rounds.js';
import { tableDifferences as sourceTableDifferences, targetCounters } from './apply-target-checks.js';
import { numberArg, parseArgs } from './args.js';
import { peerTools } from './debian.js';
import { machineFacts } from './machine.js';
import { mib, runChecked } from './measure.js';
import { catchUpNative, createNativeSubscription, disableNative } from './peers/native-subscription.js';
import { REPLICATOR_DIR, replicatorEntry, runReplicatorChild } from './pgshift/apply-step.js';
import type { FollowSpec } from './pgshift/spec.js';
import { seconds, writeSection } from './report.js';
import { freshDatabase, ServerSet, settle, uri } from './servers.js';

const SOURCE_DB = 'bench';
/** pgshift applies into the database of the source's name; the subscription gets its own. */
const PGSHIFT_DB = 'bench';
const NATIVE_DB = 'bench_native';
const NATIVE_NAME = 'bench_native';
const PGSHIFT_NAME = 'bench_pgshift';

function lastLines(text: string, count = 12): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

async function pgbenchInit(pgbench: string, server: SandboxServer, database: string, scale: number) {
  // pgbench's initial data is deterministic, so initialising each side is the initial copy.
  await runChecked(pgbench, ['-i', '-q', '-s', String(scale), uri(server, database)]);
}

async function currentLsn(server: SandboxServer): Promise<string> {
  const [row] = await server.query<{ lsn: string }>(
    'SELECT pg_current_wal_lsn()::text AS lsn',
    undefined,
    SOURCE_DB,
  );
  return row?.lsn ?? '';
}

function tableDifferences(source: SandboxServer, target: SandboxServer, targetDb: string) {
  return sourceTableDifferences(source, SOURCE_DB, target, targetDb);
}

async function pgshiftPrepare(spec: FollowSpec, timeout: number): Promise<string | undefined> {
  const run = await runReplicatorChild('prepare', spec, timeout);
  return run.result.ok ? undefined : lastLines(run.result.error ?? run.measured.output);
}

export async function runApplyRateBench(options: ApplyRateOptions): Promise<ApplyRateResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tools = peerTools(options.install);
  if (!tools.pgbench) throw new Error(`pgbench is required: ${tools.missing.join('; ')}`);
  const pgbench = tools.pgbench;
  const servers = new ServerSet(options.durable ?? true);
  try {
    const source = await servers.start('source', options.major);
    const target = await servers.start('target', options.major);
    const machine = await machineFacts(source);
    await freshDatabase(source, SOURCE_DB);
    await freshDatabase(target, PGSHIFT_DB);
    await freshDatabase(target, NATIVE_DB);
    log(`pgbench -i -s ${options.scale} on the source and on both target databases ...`);
    for (const [server, db] of [
      [source, SOURCE_DB],
      [target, PGSHIFT_DB],
      [target, NATIVE_DB],
    ] as const)
      await pgbenchInit(pgbench, server, db, options.scale);
    for (const db of [PGSHIFT_DB, NATIVE_DB]) {
      const diff = await tableDifferences(source, target, db);
      if (diff.length > 0) throw new Error(`the initial copy in ${db} differs: ${diff.join('; ')}`);
    }

    // Both consumers get their slot before the backlog, so both read exactly the same changes.
    const native = {
      source,
      target,
      sourceDatabase: SOURCE_DB,
      targetDatabase: NATIVE_DB,
      name: NATIVE_NAME,
    };
    await createNativeSubscription(native);
    const entry = replicatorEntry();
    const endpoint = (s: SandboxServer) => ({ host: s.host, port: s.port, user: s.user });
    const tables = ['pgbench_accounts', 'pgbench_branches', 'pgbench_history', 'pgbench_tellers'].map(
      (name) => ({
        schema: 'public',
        name,
      }),
    );
    const spec: FollowSpec = {
      source: endpoint(source),
      target: endpoint(target),
      database: SOURCE_DB,
      replicatorEntry: entry ?? '',
      slotName: PGSHIFT_NAME,
      publicationName: PGSHIFT_NAME,
      tables,
      drainTo: '',
    };
    let pgshiftProblem = entry
      ? await pgshiftPrepare(spec, options.timeoutSeconds)
      : `the replicator plugin (${REPLICATOR_DIR}) is not in this checkout`;
    if (entry && !pgshiftProblem) log('pgshift slot created and positioned; pgshift stopped');

    const rounds = Math.max(1, options.rounds ?? 3);
    const backlogs: Backlog[] = [];
    const perTool = new Map<string, ApplyResult[]>([
      ['native subscription', []],
      ['pgshift', []],
    ]);
    for (let round = 0; round < rounds; round++) {
      log(
        `round ${round + 1} of ${rounds}: making a backlog of ${options.transactions} pgbench transactions ...`,
      );
      const [before] = await source.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM pgbench_history',
        undefined,
        SOURCE_DB,
      );
      const startLsn = await currentLsn(source);
      const perClient = Math.ceil(options.transactions / options.clients);
      const made = await runChecked(pgbench, [
        '-n',
        '-c',
        String(options.clients),
        '-j',
        String(Math.min(options.clients, 2)),
        '-t',
        String(perClient),
        uri(source, SOURCE_DB),
      ]);
      const endLsn = await currentLsn(source);
      const [history] = await source.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM pgbench_history',
        undefined,
        SOURCE_DB,
      );
      const historyRows = Number(history?.n);
      const transactions = historyRows - Number(before?.n);
      const [wal] = await source.query<{ b: string }>(
        'SELECT pg_wal_lsn_diff($1, $2)::bigint::text AS b',
        [endLsn, startLsn],
        SOURCE_DB,
      );
      const backlog = { transactions, walBytes: wal?.b ?? '0', seconds: made.seconds, startLsn, endLsn };
      backlogs.push(backlog);
      log(`backlog: ${transactions} transactions, ${mib(Number(backlog.walBytes))} of WAL, up to ${endLsn}`);

      const runNative = async (): Promise<ApplyResult> => {
        await settle(source, target);
        log('native subscription catching up ...');
        try {
          const before = await targetCounters(target, NATIVE_DB);
          const { seconds: s } = await catchUpNative(native, historyRows, options.timeoutSeconds);
          await disableNative(native);
          const after = await targetCounters(target, NATIVE_DB);
          const diff = await tableDifferences(source, target, NATIVE_DB);
          return {
            tool: 'native subscription',
            status: diff.length === 0 ? 'ok' : 'mismatch',
            seconds: s,
            rate: transactions / s,
            targetCommits: after.commits - before.commits,
            targetWalSyncs: after.walSyncs - before.walSyncs,
            notes: [
              'time from ALTER SUBSCRIPTION ... ENABLE until the target holds every pgbench_history row of the backlog; the apply worker runs inside the target server (its memory is not a separate process), with the subscription default synchronous_commit = off',
            ],
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

      const runPgshift = async (): Promise<ApplyResult> => {
        if (pgshiftProblem)
          return {
            tool: 'pgshift',
            status: entry ? 'failed' : 'unavailable',
            notes: [pgshiftProblem],
            differences: [],
          };
        await settle(source, target);
        log('pgshift catching up ...');
        const before = await targetCounters(target, PGSHIFT_DB);
        const run = await runReplicatorChild('follow', { ...spec, drainTo: endLsn }, options.timeoutSeconds);
        const after = await targetCounters(target, PGSHIFT_DB);
        if (!run.result.ok) {
          pgshiftProblem = lastLines(run.result.error ?? run.measured.output);
          return { tool: 'pgshift', status: 'failed', notes: [pgshiftProblem], differences: [] };
        }
        const diff = await tableDifferences(source, target, PGSHIFT_DB);
        return {
          tool: 'pgshift',
          status: diff.length === 0 ? 'ok' : 'mismatch',
          seconds: run.result.seconds,
          rate: transactions / run.result.seconds,
          peakRssBytes: run.measured.peakRssBytes,
          cpuSeconds: run.measured.cpuSeconds,
          targetCommits: after.commits - before.commits,
          targetWalSyncs: after.walSyncs - before.walSyncs,
          notes: [
            `time of Replicator.follow() with drainTo = the backlog's end LSN, in a fresh process (${seconds(run.measured.seconds)} with process start and plugin load); ${JSON.stringify(run.result.detail ?? {})}`,
          ],
          differences: diff,
        };
      };

      // Alternate who goes first, so neither always meets the warmer caches.
      const order = round % 2 === 0 ? [runNative, runPgshift] : [runPgshift, runNative];
      for (const step of order) {
        const result = await step();
        perTool.get(result.tool)?.push(result);
      }
    }
    const results = [...perTool.values()].filter((r) => r.length > 0).map(summarize);
    const backlog = backlogs[0] as Backlog;
    return { options, machine, backlog, backlogs, results };
  } finally {
    await servers.stopAll();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: ApplyRateOptions = {
    transactions: numberArg(args, 'transactions', 20_000),
    scale: numberArg(args, 'scale', 1),
    clients: numberArg(args, 'clients', 4),
    major: numberArg(args, 'major', 15),
    rounds: numberArg(args, 'rounds', 3),
    timeoutSeconds: numberArg(args, 'timeout', 1800),
    install: !args.has('no-install'),
    writeDoc: !args.has('no-doc'),
  };
  const result = await runApplyRateBench(options);
  printApplyRate(result);
  if (options.writeDoc) writeSection('apply-rate', applyRateSection(result));
  if (result.results.some((r) => r.status === 'mismatch' || r.status === 'failed')) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
