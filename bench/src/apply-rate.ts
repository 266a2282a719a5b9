/**
 * bench/apply-rate: a backlog of N pgbench transactions made while nothing is consuming it, then
 * the time to catch up — PostgreSQL's own subscription (copy_data = false) and pgshift's
 * replicator, one after the other, on the same source and target servers, reading the same WAL.
 *
 *   pnpm --filter @pgshift/bench apply-rate -- --transactions 20000
 *
 * Options: --transactions N (20000), --scale N (pgbench scale, 1), --clients N (4), --major N (15),
 * --timeout S (1800), --no-install, --no-doc.
 */
import { pathToFileURL } from 'node:url';
import type { SandboxServer } from '@pgshift/sandbox';
import { numberArg, parseArgs } from './args.js';
import { peerTools } from './debian.js';
import { differences, fingerprint } from './fingerprint.js';
import { type MachineFacts, machineFacts, machineLines } from './machine.js';
import { mib, runChecked } from './measure.js';
import { catchUpNative, createNativeSubscription, disableNative } from './peers/native-subscription.js';
import { REPLICATOR_DIR, replicatorEntry, runReplicatorChild } from './pgshift/apply-step.js';
import type { FollowSpec } from './pgshift/spec.js';
import { markdownTable, ratio, seconds, table, writeSection } from './report.js';
import { freshDatabase, ServerSet, settle, uri } from './servers.js';

export interface ApplyRateOptions {
  transactions: number;
  scale: number;
  clients: number;
  major: number;
  timeoutSeconds: number;
  install: boolean;
  writeDoc: boolean;
  /** fsync on (default); the smoke tests turn it off. */
  durable?: boolean;
  log?: (line: string) => void;
}

export interface ApplyResult {
  tool: string;
  status: 'ok' | 'failed' | 'mismatch' | 'unavailable';
  seconds?: number;
  rate?: number;
  peakRssBytes?: number;
  cpuSeconds?: number;
  /** Transactions committed in the target database and WAL fsyncs of the target server meanwhile. */
  targetCommits?: number;
  targetWalSyncs?: number;
  notes: string[];
  differences: string[];
}

export interface ApplyRateResult {
  options: ApplyRateOptions;
  machine: MachineFacts;
  backlog: { transactions: number; walBytes: string; seconds: number; startLsn: string; endLsn: string };
  results: ApplyResult[];
}

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

async function tableDifferences(source: SandboxServer, target: SandboxServer, targetDb: string) {
  const want = await fingerprint(source, SOURCE_DB);
  const got = await fingerprint(target, targetDb);
  // Only the source's tables: pgshift keeps its progress on the target.
  return differences({ ...want, sequences: {} }, { ...got, sequences: {} }).filter(
    (d) => !d.endsWith('only on the target'),
  );
}

interface TargetCounters {
  commits: number;
  walSyncs: number;
}

/** Commits in one target database and WAL syncs of the whole target server (pg_stat_wal, 14+). */
async function targetCounters(target: SandboxServer, database: string): Promise<TargetCounters> {
  if ((await target.versionNum()) < 150000) return { commits: Number.NaN, walSyncs: Number.NaN };
  const [row] = await target.query<{ commits: string; syncs: string }>(
    `SELECT pg_stat_force_next_flush(), (SELECT xact_commit FROM pg_stat_database WHERE datname = $1)::text AS commits,
            (SELECT wal_sync FROM pg_stat_wal)::text AS syncs`,
    [database],
    database,
  );
  return { commits: Number(row?.commits ?? 0), walSyncs: Number(row?.syncs ?? 0) };
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

    log(`making a backlog of ${options.transactions} pgbench transactions ...`);
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
    const transactions = Number(history?.n);
    const [wal] = await source.query<{ b: string }>(
      'SELECT pg_wal_lsn_diff($1, $2)::bigint::text AS b',
      [endLsn, startLsn],
      SOURCE_DB,
    );
    const backlog = { transactions, walBytes: wal?.b ?? '0', seconds: made.seconds, startLsn, endLsn };
    log(`backlog: ${transactions} transactions, ${mib(Number(backlog.walBytes))} of WAL, up to ${endLsn}`);

    const results: ApplyResult[] = [];
    await settle(source, target);
    log('native subscription catching up ...');
    try {
      const before = await targetCounters(target, NATIVE_DB);
      const { seconds: s } = await catchUpNative(native, transactions, options.timeoutSeconds);
      await disableNative(native);
      const after = await targetCounters(target, NATIVE_DB);
      const diff = await tableDifferences(source, target, NATIVE_DB);
      results.push({
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
      });
    } catch (error) {
      results.push({
        tool: 'native subscription',
        status: 'failed',
        notes: [(error as Error).message],
        differences: [],
      });
    }

    if (pgshiftProblem) {
      results.push({
        tool: 'pgshift',
        status: entry ? 'failed' : 'unavailable',
        notes: [pgshiftProblem],
        differences: [],
      });
    } else {
      await settle(source, target);
      log('pgshift catching up ...');
      const before = await targetCounters(target, PGSHIFT_DB);
      const run = await runReplicatorChild('follow', { ...spec, drainTo: endLsn }, options.timeoutSeconds);
      const after = await targetCounters(target, PGSHIFT_DB);
      if (!run.result.ok) {
        pgshiftProblem = lastLines(run.result.error ?? run.measured.output);
        results.push({ tool: 'pgshift', status: 'failed', notes: [pgshiftProblem], differences: [] });
      } else {
        const diff = await tableDifferences(source, target, PGSHIFT_DB);
        results.push({
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
        });
      }
    }
    return { options, machine, backlog, results };
  } finally {
    await servers.stopAll();
  }
}

function resultRows(result: ApplyRateResult) {
  const native = result.results.find((r) => r.tool === 'native subscription' && r.status === 'ok');
  const head = [
    'consumer',
    'catch-up time',
    'rate',
    'peak RSS',
    'process CPU',
    'target commits',
    'target WAL syncs',
    'data matched',
    'pgshift / native',
  ];
  const count = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : String(n));
  const rows = result.results.map((r) => [
    r.tool,
    seconds(r.seconds),
    r.rate === undefined ? '-' : `${r.rate.toFixed(0)} tx/s`,
    r.peakRssBytes === undefined ? '-' : mib(r.peakRssBytes),
    seconds(r.cpuSeconds),
    count(r.targetCommits),
    count(r.targetWalSyncs),
    r.status === 'ok' ? 'yes' : r.status,
    r.tool === 'pgshift' && r.status === 'ok' ? ratio(r.rate, native?.rate) : '-',
  ]);
  return { head, rows };
}

export function printApplyRate(result: ApplyRateResult): void {
  const { head, rows } = resultRows(result);
  console.log(table(head, rows));
  for (const r of result.results) {
    for (const note of r.notes) console.log(`${r.tool}: ${note}`);
    for (const d of r.differences) console.log(`${r.tool} DIFFERS: ${d}`);
  }
}

export function applyRateSection(result: ApplyRateResult): string {
  const { head, rows } = resultRows(result);
  const o = result.options;
  const b = result.backlog;
  return [
    '## Apply rate (catch-up of a backlog)',
    '',
    `Command: \`pnpm --filter @pgshift/bench apply-rate -- --transactions ${o.transactions}\``,
    '',
    ...machineLines(result.machine),
    `- Workload: \`pgbench -i -s ${o.scale}\` on the source and (identically) on each target database; then a backlog of ${b.transactions} default pgbench (TPC-B-like) transactions from ${o.clients} clients, made in ${seconds(b.seconds)} while nothing consumed it: ${mib(Number(b.walBytes))} of WAL (${b.startLsn} to ${b.endLsn}).`,
    '- Both consumers had their slot before the backlog and catch up one after the other, native first, each from a CHECKPOINT; each result counts only if every pgbench table on its target matches the source (row count and an md5 aggregate).',
    '',
    markdownTable(head, rows),
    '',
    ...result.results.flatMap((r) => [
      ...r.notes.map((n) => `- ${r.tool}: ${n.replaceAll('\n', ' ')}`),
      ...r.differences.map((x) => `- ${r.tool} differs from the source: ${x}`),
    ]),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: ApplyRateOptions = {
    transactions: numberArg(args, 'transactions', 20_000),
    scale: numberArg(args, 'scale', 1),
    clients: numberArg(args, 'clients', 4),
    major: numberArg(args, 'major', 15),
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
