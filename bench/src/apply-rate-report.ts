import type { ApplyRateResult } from './apply-rate-result.js';
import { machineLines } from './machine.js';
import { mib } from './measure.js';
import { markdownTable, ratio, seconds, table } from './report.js';

/* The apply-rate benchmark's figures as a terminal table and as its section of docs/benchmarks.md. */

function resultRows(result: ApplyRateResult) {
  const native = result.results.find((r) => r.tool === 'native subscription' && r.status === 'ok');
  const head = [
    'consumer',
    'catch-up time (median)',
    'rounds',
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
    r.roundSeconds?.map((x) => x.toFixed(2)).join(', ') ?? '-',
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
    `Command: \`pnpm --filter @pgshift/bench apply-rate -- --transactions ${o.transactions} --rounds ${o.rounds ?? 3}\``,
    '',
    ...machineLines(result.machine),
    `- Workload: \`pgbench -i -s ${o.scale}\` on the source and (identically) on each target database; then, in each of ${result.backlogs.length} rounds, a backlog of ${b.transactions} default pgbench (TPC-B-like) transactions from ${o.clients} clients made while nothing consumed it (round 1: ${seconds(b.seconds)}, ${mib(Number(b.walBytes))} of WAL, ${b.startLsn} to ${b.endLsn}).`,
    "- Both consumers had their slot before the first backlog and catch up one after the other, each from a CHECKPOINT, native first in odd rounds and pgshift first in even ones; a row shows the median round (rate and ratio from it) and every round's time; a result counts only if every pgbench table on its target matches the source (row count and an md5 aggregate) after every round.",
    '',
    markdownTable(head, rows),
    '',
    ...result.results.flatMap((r) => [
      ...r.notes.map((n) => `- ${r.tool}: ${n.replaceAll('\n', ' ')}`),
      ...r.differences.map((x) => `- ${r.tool} differs from the source: ${x}`),
    ]),
  ].join('\n');
}
