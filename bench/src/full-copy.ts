/**
 * bench/full-copy: one dataset on a source server, copied in turn into a fresh empty database on
 * the same target server by pgshift (mode full), pg_dump -Fd -j N + pg_restore -j N, and
 * pgcopydb clone. Each copy is checked against the source before its time counts.
 *
 *   pnpm --filter @pgshift/bench full-copy -- --size-gb 1 --jobs 4
 *
 * Options: --size-gb N (1), --dataset shop|one-table (shop), --jobs N (4),
 * --tools pgshift,pg_dump,pgcopydb, --route auto|cli|loader, --dump-compress N (0),
 * --split-table-bytes N|default (pgshift; 1 GiB; `default` leaves it to the product),
 * --pgcopydb-split SIZE, --no-install, --no-doc, --doc-section NAME (full-copy; a section of its own
 * in docs/benchmarks.md, so a run of another dataset or of the defaults does not replace the main one).
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { SandboxServer } from '@pgshift/sandbox';
import { numberArg, parseArgs } from './args.js';
import { buildDataset, type DatasetSummary } from './dataset.js';
import { type PeerTools, peerTools } from './debian.js';
import { differences, type Fingerprint, fingerprint, totalRows } from './fingerprint.js';
import { type MachineFacts, machineFacts, machineLines } from './machine.js';
import { type Measured, mib } from './measure.js';
import { buildOneTableDataset } from './one-table-dataset.js';
import { runPgDump } from './peers/pg-dump.js';
import { runPgcopydb } from './peers/pgcopydb.js';
import { pgshiftAvailability, runPgshiftFullCopy } from './pgshift/full-copy-step.js';
import { markdownTable, ratio, seconds, table, writeSection } from './report.js';
import { freshDatabase, ServerSet, settle } from './servers.js';

export type FullCopyTool = 'pgshift' | 'pg_dump' | 'pgcopydb';

export interface FullCopyOptions {
  sizeGb: number;
  /** The six-table shop dataset, or one large keyed table (where splitting matters). */
  dataset: 'shop' | 'one-table';
  jobs: number;
  /** Rounds of all tools (order rotated each round); the table shows medians. */
  rounds: number;
  tools: FullCopyTool[];
  route: 'auto' | 'cli' | 'loader';
  dumpCompress: number;
  /** Undefined: pgshift's own default. */
  splitTableBytes: number | undefined;
  pgcopydbSplit?: string;
  install: boolean;
  writeDoc: boolean;
  /** The marked section of docs/benchmarks.md written (default `full-copy`). */
  docSection?: string;
  /** fsync on (default); the smoke tests turn it off. */
  durable?: boolean;
  log?: (line: string) => void;
}

export interface ToolResult {
  tool: string;
  status: 'ok' | 'failed' | 'mismatch' | 'unavailable';
  seconds?: number;
  peakRssBytes?: number;
  /** CPU seconds of the tool's own processes (not the servers'). */
  cpuSeconds?: number;
  /** Wall time of each round, in the order run. */
  rounds?: number[];
  /** 1-minute load average when each round of this tool started. */
  loadAverages?: string[];
  notes: string[];
  differences: string[];
}

export interface FullCopyResult {
  options: FullCopyOptions;
  machine: MachineFacts;
  dataset: DatasetSummary;
  sourceRows: number;
  results: ToolResult[];
}

const DATABASE = 'bench';

function firstLines(text: string, count = 12): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

async function checked(
  tool: string,
  target: SandboxServer,
  source: Fingerprint,
  measured: { seconds: number; peakRssBytes: number; cpuSeconds: number },
  notes: string[],
): Promise<ToolResult> {
  const diff = differences(source, await fingerprint(target, DATABASE));
  return {
    tool,
    status: diff.length === 0 ? 'ok' : 'mismatch',
    seconds: measured.seconds,
    peakRssBytes: measured.peakRssBytes,
    cpuSeconds: measured.cpuSeconds,
    notes,
    differences: diff,
  };
}

async function pgshiftStep(
  options: FullCopyOptions,
  source: SandboxServer,
  target: SandboxServer,
  print: Fingerprint,
): Promise<ToolResult> {
  const available = pgshiftAvailability();
  if (available.reason)
    return { tool: 'pgshift', status: 'unavailable', notes: [available.reason], differences: [] };
  const routes: ('cli' | 'loader')[] =
    options.route === 'auto'
      ? [
          ...(available.cli ? (['cli'] as const) : []),
          ...(available.loaderEntry ? (['loader'] as const) : []),
        ]
      : [options.route];
  const notes: string[] = [];
  for (const route of routes) {
    await freshDatabase(target, DATABASE);
    await settle(source, target);
    const run = await runPgshiftFullCopy(
      { source, target, database: DATABASE, jobs: options.jobs, splitTableBytes: options.splitTableBytes },
      route,
    );
    if (!run.ok) {
      notes.push(`${route} route failed: ${firstLines(run.error ?? '')}`);
      continue;
    }
    notes.push(
      route === 'cli'
        ? `run through the CLI (\`pgshift run -c FILE --no-verify --json\`, mode full, jobs ${options.jobs}, splitTableBytes ${options.splitTableBytes === undefined ? 'left to the default' : mib(options.splitTableBytes)}); the time includes process start, plugin loading and the prechecks; ${JSON.stringify(run.detail ?? {})}`
        : `run through the loader plugin's contract (preData, copyData, postData, syncSequences) in a child process; ${seconds(run.innerSeconds)} of it inside the loader, the rest is process start and plugin loading; ${JSON.stringify(run.detail ?? {})}`,
    );
    return checked('pgshift', target, print, run.measured, notes);
  }
  return { tool: 'pgshift', status: 'failed', notes, differences: [] };
}

async function peerStep(
  tool: 'pg_dump' | 'pgcopydb',
  options: FullCopyOptions,
  tools: PeerTools,
  source: SandboxServer,
  target: SandboxServer,
  print: Fingerprint,
): Promise<ToolResult> {
  const name = tool === 'pg_dump' ? 'pg_dump+pg_restore' : 'pgcopydb';
  if (tool === 'pg_dump' && (!tools.pgDump || !tools.pgRestore))
    return { tool: name, status: 'unavailable', notes: tools.missing, differences: [] };
  if (tool === 'pgcopydb' && !tools.pgcopydb)
    return { tool: name, status: 'unavailable', notes: tools.missing, differences: [] };
  await freshDatabase(target, DATABASE);
  await settle(source, target);
  try {
    if (tool === 'pg_dump') {
      const run = await runPgDump({
        pgDump: tools.pgDump as string,
        pgRestore: tools.pgRestore as string,
        source,
        target,
        database: DATABASE,
        jobs: options.jobs,
        compress: options.dumpCompress,
      });
      return checked(name, target, print, run, [
        `dump ${seconds(run.dump.seconds)} + restore ${seconds(run.restore.seconds)}; ` +
          `the directory dump staged ${mib(run.stagedBytes)} on local disk (-Z ${options.dumpCompress})`,
      ]);
    }
    const run: Measured = await runPgcopydb({
      pgcopydb: tools.pgcopydb as string,
      source,
      target,
      database: DATABASE,
      jobs: options.jobs,
      ...(options.pgcopydbSplit ? { splitTablesLargerThan: options.pgcopydbSplit } : {}),
    });
    return checked(name, target, print, run, [
      `--table-jobs ${options.jobs} --index-jobs ${options.jobs} --no-owner --no-acl` +
        (options.pgcopydbSplit ? ` --split-tables-larger-than ${options.pgcopydbSplit}` : ''),
    ]);
  } catch (error) {
    return { tool: name, status: 'failed', notes: [firstLines((error as Error).message)], differences: [] };
  }
}

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One line per tool from its rounds: worst status, median time, highest memory, every note once. */
function combine(rounds: ToolResult[]): ToolResult {
  const first = rounds[0] as ToolResult;
  const bad = rounds.find((r) => r.status !== 'ok');
  const times = rounds.flatMap((r) => (r.seconds === undefined ? [] : [r.seconds]));
  const combined: ToolResult = {
    tool: first.tool,
    status: bad?.status ?? 'ok',
    notes: [...new Set(rounds.flatMap((r) => r.notes))],
    differences: [...new Set(rounds.flatMap((r) => r.differences))],
    seconds: median(times),
    rounds: times,
    loadAverages: rounds.flatMap((r) => r.loadAverages ?? []),
  };
  const rss = rounds.flatMap((r) => (r.peakRssBytes === undefined ? [] : [r.peakRssBytes]));
  if (rss.length > 0) combined.peakRssBytes = Math.max(...rss);
  const cpu = median(rounds.flatMap((r) => (r.cpuSeconds === undefined ? [] : [r.cpuSeconds])));
  if (cpu !== undefined) combined.cpuSeconds = cpu;
  return combined;
}

/**
 * A fresh server has few WAL segments: the first copy into it would also create (and zero-fill)
 * every segment it writes, a cost the later tools no longer pay. Writing and dropping a table of
 * the dataset's size, then a checkpoint, leaves enough segments to recycle for whoever goes first.
 */
async function warmTargetWal(target: SandboxServer, bytes: number): Promise<void> {
  const rows = Math.ceil(bytes / 1100);
  await target.query(
    `CREATE TABLE pgshift_bench_warm AS SELECT g, repeat('w', 1000) AS pad FROM generate_series(1, ${rows}) g`,
  );
  await target.query('DROP TABLE pgshift_bench_warm');
  await target.query('CHECKPOINT');
}

/** Runs the whole benchmark; every server it starts is stopped before it returns or throws. */
export async function runFullCopyBench(options: FullCopyOptions): Promise<FullCopyResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tools = peerTools(options.install);
  const servers = new ServerSet(options.durable ?? true);
  try {
    const source = await servers.start('source');
    const target = await servers.start('target');
    const machine = await machineFacts(source);
    log(`building a ${options.sizeGb} GB ${options.dataset} dataset on the source ...`);
    const build = options.dataset === 'one-table' ? buildOneTableDataset : buildDataset;
    const dataset = await build(source, DATABASE, options.sizeGb);
    log(`dataset: ${mib(dataset.databaseBytes)} in ${seconds(dataset.buildSeconds)}`);
    const print = await fingerprint(source, DATABASE);
    log('warming the target: writing as much WAL as a copy will, then a checkpoint ...');
    await warmTargetWal(target, dataset.databaseBytes);
    // Several rounds, the order rotated each time, so no tool always runs first or in a noisy
    // moment of a shared machine; the median of the rounds is what the table shows.
    const runs = new Map<FullCopyTool, ToolResult[]>();
    for (let round = 0; round < options.rounds; round++) {
      const order = options.tools.map(
        (_, i) => options.tools[(i + round) % options.tools.length] as FullCopyTool,
      );
      for (const tool of order) {
        const load = (loadavg()[0] ?? 0).toFixed(2);
        log(
          `round ${round + 1}/${options.rounds}: ${tool} with ${options.jobs} jobs (load average ${load}) ...`,
        );
        const result =
          tool === 'pgshift'
            ? await pgshiftStep(options, source, target, print)
            : await peerStep(tool, options, tools, source, target, print);
        result.loadAverages = [load];
        log(`${result.tool}: ${result.status} ${seconds(result.seconds)}`);
        runs.set(tool, [...(runs.get(tool) ?? []), result]);
        await freshDatabase(target, DATABASE, false);
      }
    }
    const results = options.tools.map((tool) => combine(runs.get(tool) ?? []));
    return { options, machine, dataset, sourceRows: totalRows(print), results };
  } finally {
    await servers.stopAll();
  }
}

function resultRows(result: FullCopyResult): { head: string[]; rows: string[][] } {
  const pgshift = result.results.find((r) => r.tool === 'pgshift' && r.status === 'ok');
  const head = [
    'tool',
    'wall time (median)',
    'rounds',
    'load avg at start',
    'peak RSS',
    'tool CPU',
    'data matched',
    'pgshift / tool',
  ];
  const rows = result.results.map((r) => [
    r.tool,
    seconds(r.seconds),
    (r.rounds ?? []).map((x) => x.toFixed(1)).join(', ') || '-',
    (r.loadAverages ?? []).join(', ') || '-',
    r.peakRssBytes === undefined ? '-' : mib(r.peakRssBytes),
    seconds(r.cpuSeconds),
    r.status === 'ok' ? 'yes' : r.status,
    r.status === 'ok' && r.tool !== 'pgshift' ? ratio(pgshift?.seconds, r.seconds) : '-',
  ]);
  return { head, rows };
}

export function printFullCopy(result: FullCopyResult): void {
  const { head, rows } = resultRows(result);
  console.log(table(head, rows));
  for (const r of result.results) {
    for (const note of r.notes) console.log(`${r.tool}: ${note}`);
    for (const d of r.differences) console.log(`${r.tool} DIFFERS: ${d}`);
  }
}

export function fullCopySection(result: FullCopyResult): string {
  const { head, rows } = resultRows(result);
  const d = result.dataset;
  const notes = result.results.flatMap((r) => [
    ...r.notes.map((n) => `- ${r.tool}: ${n.replaceAll('\n', ' ')}`),
    ...r.differences.map((x) => `- ${r.tool} differs from the source: ${x}`),
  ]);
  const variant = [
    ...(result.options.dataset === 'one-table' ? ['one large table'] : []),
    ...(result.options.splitTableBytes === undefined ? ["pgshift's default options"] : []),
  ];
  return [
    `## Full copy${variant.length > 0 ? ` (${[...variant, `${result.options.jobs} jobs`].join(', ')})` : ''}`,
    '',
    `Command: \`${fullCopyCommand(result.options)}\``,
    '',
    ...machineLines(result.machine),
    `- Dataset: --size-gb ${d.sizeGb}, database size ${mib(d.databaseBytes)} (pg_database_size, heap + TOAST + indexes), ${result.sourceRows} rows, built in ${seconds(d.buildSeconds)}:`,
    ...d.description.map((t) => `  - ${t}`),
    `- Before the first round the target writes (and drops) as much WAL as a copy does, so the first tool does not pay alone for creating WAL segments. Each tool copies into a fresh empty database on the same target server, one after another, after a CHECKPOINT on both servers. Peak RSS is the highest sum over the tool's process tree and tool CPU its user + system time (sampled from /proc every 100 ms; the servers are not counted). A run counts only if row counts, an md5 aggregate of every table, the number of indexes, constraints and partitions, and sequence values match the source.`,
    '',
    markdownTable(head, rows),
    '',
    ...notes,
  ].join('\n');
}

function datasetArg(value: string | undefined): FullCopyOptions['dataset'] {
  if (value === undefined || value === 'shop' || value === 'one-table') return value ?? 'shop';
  throw new Error(`--dataset must be shop or one-table, got ${value}`);
}

/** The command line that reproduces a run, for the report. */
function fullCopyCommand(options: FullCopyOptions): string {
  const parts = [`--size-gb ${options.sizeGb}`];
  if (options.dataset !== 'shop') parts.push(`--dataset ${options.dataset}`);
  parts.push(`--jobs ${options.jobs}`, `--rounds ${options.rounds}`);
  parts.push(`--split-table-bytes ${options.splitTableBytes ?? 'default'}`);
  if (options.pgcopydbSplit) parts.push(`--pgcopydb-split ${options.pgcopydbSplit}`);
  if (options.tools.join() !== 'pgshift,pg_dump,pgcopydb') parts.push(`--tools ${options.tools.join(',')}`);
  if (options.docSection) parts.push(`--doc-section ${options.docSection}`);
  return `pnpm --filter @pgshift/bench full-copy -- ${parts.join(' ')}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: FullCopyOptions = {
    sizeGb: numberArg(args, 'size-gb', 1),
    dataset: datasetArg(args.get('dataset')),
    jobs: numberArg(args, 'jobs', 4),
    rounds: numberArg(args, 'rounds', 1),
    tools: (args.get('tools') ?? 'pgshift,pg_dump,pgcopydb').split(',') as FullCopyTool[],
    route: (args.get('route') ?? 'auto') as FullCopyOptions['route'],
    dumpCompress: args.has('dump-compress') ? Number(args.get('dump-compress')) : 0,
    splitTableBytes:
      args.get('split-table-bytes') === 'default'
        ? undefined
        : numberArg(args, 'split-table-bytes', 1024 ** 3),
    ...(args.has('pgcopydb-split') ? { pgcopydbSplit: args.get('pgcopydb-split') as string } : {}),
    install: !args.has('no-install'),
    writeDoc: !args.has('no-doc'),
    ...(args.has('doc-section') ? { docSection: args.get('doc-section') as string } : {}),
  };
  const result = await runFullCopyBench(options);
  printFullCopy(result);
  if (options.writeDoc) writeSection(options.docSection ?? 'full-copy', fullCopySection(result));
  if (result.results.some((r) => r.status === 'mismatch' || r.status === 'failed')) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
