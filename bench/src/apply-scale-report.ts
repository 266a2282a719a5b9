import type { ApplyResult } from './apply-rate-result.js';
import type { Workload } from './apply-scale-workloads.js';
import { type MachineFacts, machineLines } from './machine.js';
import { mib } from './measure.js';
import { markdownTable, ratio, seconds, table } from './report.js';

/* The apply-scale benchmark: what it is asked, what it measured, and its section of docs/benchmarks.md. */

export interface ApplyScaleOptions {
  transactions: number;
  scale: number;
  clients: number;
  bulkRows: number;
  rounds: number;
  bulkRounds: number;
  major: number;
  timeoutSeconds: number;
  install: boolean;
  writeDoc: boolean;
  /** Workloads to run (disjoint, tpcb, bulk); absent = all. */
  only?: string[];
  /** Also measure a second pgshift task with the replicator's applySessions set to this. */
  applySessions?: number;
  /** fsync on (default); the smoke tests turn it off. */
  durable?: boolean;
  log?: (line: string) => void;
}

export interface WorkloadResult {
  workload: Workload;
  backlogSeconds: number[];
  walBytes: number[];
  results: ApplyResult[];
}

export interface ApplyScaleResult {
  options: ApplyScaleOptions;
  machine: MachineFacts;
  results: WorkloadResult[];
}

function rows(result: ApplyScaleResult) {
  const head = [
    'workload',
    'consumer',
    'catch-up (median)',
    'rounds',
    'rate',
    'peak memory',
    'process CPU',
    'target commits',
    'data matched',
    'pgshift / native',
  ];
  const count = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : String(n));
  const body = result.results.flatMap((w) => {
    const native = w.results.find((r) => r.tool === 'native subscription' && r.status === 'ok');
    return w.results.map((r) => [
      w.workload.name,
      r.tool,
      seconds(r.seconds),
      r.roundSeconds?.map((x) => x.toFixed(2)).join(', ') ?? '-',
      r.rate === undefined ? '-' : `${r.rate.toFixed(0)} ${w.workload.unit}/s`,
      r.peakRssBytes === undefined ? '-' : mib(r.peakRssBytes),
      seconds(r.cpuSeconds),
      count(r.targetCommits),
      r.status === 'ok' ? 'yes' : r.status,
      r.tool.startsWith('pgshift') && r.status === 'ok' ? ratio(r.rate, native?.rate) : '-',
    ]);
  });
  return { head, body };
}

export function printApplyScale(result: ApplyScaleResult): void {
  const { head, body } = rows(result);
  console.log(table(head, body));
  for (const w of result.results)
    for (const r of w.results) {
      for (const note of r.notes) console.log(`${w.workload.name}, ${r.tool}: ${note}`);
      for (const d of r.differences) console.log(`${w.workload.name}, ${r.tool} DIFFERS: ${d}`);
    }
}

export function applyScaleSection(result: ApplyScaleResult): string {
  const { head, body } = rows(result);
  const o = result.options;
  return [
    '## Apply at scale (catch-up of large backlogs, through the CLI)',
    '',
    `Command: \`pnpm --filter @pgshift/bench apply-scale -- --transactions ${o.transactions} --scale ${o.scale} --rounds ${o.rounds} --bulk-rounds ${o.bulkRounds}${o.applySessions ? ` --apply-sessions ${o.applySessions}` : ''}\``,
    '',
    ...machineLines(result.machine),
    `- Data: \`pgbench -i -s ${o.scale}\` on the source and on the native subscription's target database; pgshift's target database gets it through \`pgshift run\` (full+incremental), stopped with Ctrl-C once following, so both consumers have their slot before the first backlog. The native publication holds the four pgbench tables.`,
    ...result.results.map(
      (w) =>
        `- ${w.workload.name}: each backlog is ${w.workload.describe}, made while nothing consumed it (${w.backlogSeconds.map((s) => `${s.toFixed(1)} s`).join(', ')}; ${w.walBytes.map((b) => mib(b)).join(', ')} of WAL).`,
    ),
    '- pgshift: a fresh `pgshift run -c FILE --no-verify` (the built CLI) timed from spawn, so process start, plugin loading, prechecks and reconnecting are in its time, until the target holds every pgbench_history row of the source; then Ctrl-C. Peak memory is the highest RSS of its process tree over its whole run; process CPU its user + system time.',
    ...(o.applySessions
      ? [
          `- pgshift, applySessions ${o.applySessions}: the same with the replicator option \`applySessions: ${o.applySessions}\` (parallel apply), a second task with its own slot, into a third server of the same build and settings.`,
        ]
      : []),
    '- native subscription: from `ALTER SUBSCRIPTION ... ENABLE` until the same count; its apply worker runs inside the target server, so its peak memory is the highest private memory (RssAnon) of the apply worker process, sampled every 20 ms; synchronous_commit = off (the subscription default).',
    "- The consumers catch up one after the other, each from a CHECKPOINT, native first in odd rounds; a row shows the median round (of two, the faster; rate and ratio from it), every round's time and the highest peak of any round; a result counts only if every pgbench table on its target matches the source (row count and an md5 aggregate) after every round.",
    '',
    markdownTable(head, body),
    '',
    ...result.results.flatMap((w) =>
      w.results.flatMap((r) => [
        ...r.notes.map((n) => `- ${w.workload.name}, ${r.tool}: ${n.replaceAll('\n', ' ')}`),
        ...r.differences.map((x) => `- ${w.workload.name}, ${r.tool} differs from the source: ${x}`),
      ]),
    ),
  ].join('\n');
}
