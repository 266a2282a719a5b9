/**
 * bench/verify: `pgshift verify` against the copy it checks, in the same run on the same servers.
 * Each round copies the dataset into a fresh target database with `pgshift run --no-verify`
 * (mode full), then runs `pgshift verify` on the same config; with --baseline-cli, the verify of
 * another checkout (e.g. main's packages/cli/bin/pgshift.mjs) runs right after on the same copy.
 *
 *   pnpm --filter @pgshift/bench verify -- --size-gb 1 --jobs 4 --rounds 3
 *
 * Options: --size-gb N (1), --jobs N (4), --rounds N (1), --baseline-cli PATH, --no-doc.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { numberArg, parseArgs } from './args.js';
import { buildDataset, type DatasetSummary } from './dataset.js';
import { type MachineFacts, machineFacts, machineLines } from './machine.js';
import { runMeasured } from './measure.js';
import { CLI_BIN, CLI_ENV, runPgshiftFullCopy, writeCliConfig } from './pgshift/full-copy-step.js';
import { markdownTable, ratio, seconds, table, writeSection } from './report.js';
import { freshDatabase, ServerSet, settle } from './servers.js';

export interface VerifyBenchOptions {
  sizeGb: number;
  jobs: number;
  rounds: number;
  /** A second CLI whose `verify` is timed on the same copy (the figures before a change). */
  baselineCli?: string;
  writeDoc: boolean;
}

interface Round {
  load: string;
  copySeconds: number;
  verifySeconds: number;
  verifyOk: boolean;
  baselineSeconds?: number;
  baselineOk?: boolean;
}

export interface VerifyBenchResult {
  options: VerifyBenchOptions;
  machine: MachineFacts;
  dataset: DatasetSummary;
  rounds: Round[];
}

const DATABASE = 'bench';

/** `pgshift verify -c FILE` of one CLI: seconds, and whether it found the copy identical. */
async function timeVerify(
  cli: string,
  config: string,
  dir: string,
): Promise<{ seconds: number; ok: boolean }> {
  const measured = await runMeasured(process.execPath, [cli, 'verify', '-c', config], {
    cwd: dir,
    env: { ...process.env, ...CLI_ENV },
  });
  return {
    seconds: measured.seconds,
    ok: measured.exitCode === 0 && measured.output.includes('result: identical'),
  };
}

/** Runs the whole benchmark; every server it starts is stopped before it returns or throws. */
export async function runVerifyBench(options: VerifyBenchOptions): Promise<VerifyBenchResult> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const servers = new ServerSet(true);
  try {
    const source = await servers.start('source');
    const target = await servers.start('target');
    const machine = await machineFacts(source);
    log(`building a ${options.sizeGb} GB dataset on the source ...`);
    const dataset = await buildDataset(source, DATABASE, options.sizeGb);
    log(`dataset: ${dataset.databaseBytes} bytes in ${seconds(dataset.buildSeconds)}`);
    const rounds: Round[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'pgshift-bench-verify-'));
      try {
        await freshDatabase(target, DATABASE);
        await settle(source, target);
        const load = (loadavg()[0] ?? 0).toFixed(2);
        const copy = await runPgshiftFullCopy(
          {
            source,
            target,
            database: DATABASE,
            jobs: options.jobs,
            splitTableBytes: 1024 ** 3,
            configDir: dir,
          },
          'cli',
        );
        if (!copy.ok) throw new Error(`the copy failed: ${copy.error ?? ''}`);
        const config = writeCliConfig(dir, {
          source,
          target,
          database: DATABASE,
          jobs: options.jobs,
          splitTableBytes: 1024 ** 3,
        });
        await settle(source, target);
        const verify = await timeVerify(CLI_BIN, config, dir);
        const result: Round = {
          load,
          copySeconds: copy.measured.seconds,
          verifySeconds: verify.seconds,
          verifyOk: verify.ok,
        };
        if (options.baselineCli) {
          await settle(source, target);
          const baseline = await timeVerify(options.baselineCli, config, dir);
          result.baselineSeconds = baseline.seconds;
          result.baselineOk = baseline.ok;
        }
        log(`round ${round + 1}/${options.rounds}: ${JSON.stringify(result)}`);
        rounds.push(result);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return { options, machine, dataset, rounds };
  } finally {
    await servers.stopAll();
  }
}

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function resultRows(result: VerifyBenchResult): { head: string[]; rows: string[][] } {
  const head = ['step', 'wall time (median)', 'rounds', 'found identical', 'verify / copy'];
  const copy = median(result.rounds.map((r) => r.copySeconds));
  const row = (step: string, times: number[], oks: boolean[], isCopy = false) => {
    const m = median(times);
    return [
      step,
      seconds(m),
      times.map((x) => x.toFixed(1)).join(', '),
      isCopy ? '-' : oks.every(Boolean) ? 'yes' : 'NO',
      isCopy ? '-' : ratio(m, copy),
    ];
  };
  const rows = [
    row(
      'copy (`pgshift run --no-verify`)',
      result.rounds.map((r) => r.copySeconds),
      [],
      true,
    ),
    row(
      '`pgshift verify` (this branch)',
      result.rounds.map((r) => r.verifySeconds),
      result.rounds.map((r) => r.verifyOk),
    ),
  ];
  const baseline = result.rounds.flatMap((r) => (r.baselineSeconds === undefined ? [] : [r.baselineSeconds]));
  if (baseline.length > 0)
    rows.push(
      row(
        '`pgshift verify` (baseline CLI)',
        baseline,
        result.rounds.map((r) => r.baselineOk === true),
      ),
    );
  return { head, rows };
}

export function verifySection(result: VerifyBenchResult): string {
  const { head, rows } = resultRows(result);
  const d = result.dataset;
  const o = result.options;
  return [
    '## Verify',
    '',
    `Command: \`pnpm --filter @pgshift/bench verify -- --size-gb ${d.sizeGb} --jobs ${o.jobs} --rounds ${o.rounds}${o.baselineCli ? ' --baseline-cli PATH' : ''}\``,
    '',
    ...machineLines(result.machine),
    `- Dataset: the full-copy dataset, --size-gb ${d.sizeGb}, database size ${Math.round(d.databaseBytes / 1024 ** 2)} MiB, built in ${seconds(d.buildSeconds)}:`,
    ...d.description.map((t) => `  - ${t}`),
    `- Each round copies into a fresh target database (\`pgshift run --no-verify\`, mode full, jobs ${o.jobs}), then times \`pgshift verify -c FILE\` on the same config (jobs ${o.jobs}) after a CHECKPOINT on both servers${o.baselineCli ? ", then the baseline CLI's verify on the same copy" : ''}. Both times include process start and plugin loading; load average at the start of each round: ${result.rounds.map((r) => r.load).join(', ')}.`,
    '',
    markdownTable(head, rows),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: VerifyBenchOptions = {
    sizeGb: numberArg(args, 'size-gb', 1),
    jobs: numberArg(args, 'jobs', 4),
    rounds: numberArg(args, 'rounds', 1),
    ...(args.has('baseline-cli') ? { baselineCli: args.get('baseline-cli') as string } : {}),
    writeDoc: !args.has('no-doc'),
  };
  const result = await runVerifyBench(options);
  const { head, rows } = resultRows(result);
  console.log(table(head, rows));
  if (options.writeDoc) writeSection('verify', verifySection(result));
  if (result.rounds.some((r) => !r.verifyOk)) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
