/**
 * bench/throttled-copy: one table of at least --size-gb (1.6) copied by `pgshift run` (mode full,
 * --jobs 4, so several workers share the task's bucket) with `options.limits.copy.
 * megabytesPerSecond` = --mbps (20). The COPY bytes read from the source are sampled every
 * --sample seconds (5) from the run's own copy-progress events (counted where the bytes arrive,
 * before the throttle sees them); the report gives the mean rate over the copy and the largest
 * deviation of one sample from the limit. The run must cover at least a minute of samples.
 *
 *   pnpm --filter @pgshift/bench throttled-copy -- --size-gb 1.6 --mbps 20
 *
 * Options: --size-gb N, --mbps N, --sample N, --jobs N, --no-doc.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SandboxServer } from '@pgshift/sandbox';
import { numberArg, parseArgs } from './args.js';
import { machineFacts, machineLines } from './machine.js';
import { runMeasured } from './measure.js';
import { CLI_BIN } from './pgshift/full-copy-step.js';
import { markdownTable, writeSection } from './report.js';
import { freshDatabase, ServerSet } from './servers.js';

const DATABASE = 'throttled';
const MB = 1_000_000;

export interface ThrottledCopyOptions {
  sizeGb: number;
  mbps: number;
  sampleSeconds: number;
  jobs: number;
  /** fsync off: the smoke test only. */
  durable?: boolean;
  log?: (line: string) => void;
}

export interface RateSample {
  /** Seconds since the first COPY bytes. */
  at: number;
  mbps: number;
}

export interface ThrottledCopyResult {
  tableBytes: number;
  rows: number;
  buildSeconds: number;
  copyBytes: number;
  copySeconds: number;
  samples: RateSample[];
  meanMbps: number;
  maxDeviation: number;
  exitCode: number | null;
  machine: string[];
  date: string;
}

/** One table of random-looking text rows, at least `sizeGb` GiB of heap. */
async function buildTable(server: SandboxServer, sizeGb: number): Promise<{ rows: number; bytes: number }> {
  await freshDatabase(server, DATABASE);
  // ~230 bytes of heap per row (192 characters of payload).
  const rows = Math.max(1000, Math.ceil((sizeGb * 2 ** 30) / 230));
  await server.query('CREATE TABLE public.big (id bigint NOT NULL, payload text NOT NULL)', [], DATABASE);
  const step = 1_000_000;
  for (let from = 1; from <= rows; from += step) {
    await server.query(
      'INSERT INTO public.big SELECT g, repeat(md5(g::text), 6) FROM generate_series($1::bigint, $2::bigint) g',
      [from, Math.min(rows, from + step - 1)],
      DATABASE,
    );
  }
  await server.query('VACUUM ANALYZE public.big', [], DATABASE);
  const [size] = await server.query<{ n: string }>(
    "SELECT pg_table_size('public.big')::text AS n",
    [],
    DATABASE,
  );
  return { rows, bytes: Number(size?.n ?? 0) };
}

interface Mark {
  at: number;
  bytes: number;
}

/** Cumulative COPY bytes as the run's copy-progress events report them, and when. */
class ByteClock {
  last: Mark | undefined;
  /** The first event with bytes: where the first window starts (bytes read before it are not in it). */
  first: Mark | undefined;

  line(line: string): void {
    if (!line.startsWith('{') || !line.includes('"copy-progress"')) return;
    try {
      const event = JSON.parse(line) as { type?: string; bytes?: number; at?: string };
      if (event.type !== 'copy-progress' || typeof event.bytes !== 'number' || !event.at) return;
      const at = Date.parse(event.at);
      this.last = { at, bytes: event.bytes };
      if (event.bytes > 0 && this.first === undefined) this.first = this.last;
    } catch {
      // not an event line
    }
  }
}

async function runThrottled(
  source: SandboxServer,
  target: SandboxServer,
  options: ThrottledCopyOptions,
): Promise<{ marks: Mark[]; exitCode: number | null; first: Mark }> {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-bench-throttle-'));
  try {
    const side = (server: SandboxServer) => ({
      access: 'public-ip',
      host: server.host,
      port: server.port,
      user: server.user,
      password: { env: 'PGSHIFT_BENCH_PASSWORD' },
      database: 'postgres',
    });
    const config = {
      task: { name: 'bench-throttled-copy' },
      source: side(source),
      target: side(target),
      objects: { databases: [DATABASE] },
      mode: 'full',
      options: {
        jobs: options.jobs,
        stateDir: join(dir, 'state'),
        limits: { copy: { megabytesPerSecond: options.mbps } },
      },
    };
    const path = join(dir, 'pgshift.yaml');
    writeFileSync(path, JSON.stringify(config, null, 2));
    const clock = new ByteClock();
    const marks: Mark[] = [];
    // Windows of `sampleSeconds` from the first COPY bytes, each ending at the event that closes it.
    const timer = setInterval(() => {
      const last = clock.last;
      const from = marks.at(-1) ?? clock.first;
      if (last && from && last.at - from.at >= options.sampleSeconds * 1000) marks.push(last);
    }, 100);
    try {
      const measured = await runMeasured(
        process.execPath,
        [CLI_BIN, 'run', '-c', path, '--no-verify', '--json'],
        {
          cwd: dir,
          env: { ...process.env, PGSHIFT_BENCH_PASSWORD: 'unused-trust-auth' },
          onStdoutLine: (line) => clock.line(line),
        },
      );
      if (measured.exitCode !== 0) throw new Error(`pgshift run failed:\n${measured.output.slice(-3000)}`);
      if (!clock.first) throw new Error('the run reported no COPY bytes');
      return { marks, exitCode: measured.exitCode, first: clock.first };
    } finally {
      clearInterval(timer);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runThrottledCopyBench(options: ThrottledCopyOptions): Promise<ThrottledCopyResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const servers = new ServerSet(options.durable ?? true);
  try {
    const source = await servers.start('source');
    const target = await servers.start('target');
    const facts = await machineFacts(source);
    const built = Date.now();
    const table = await buildTable(source, options.sizeGb);
    const buildSeconds = (Date.now() - built) / 1000;
    log(
      `table public.big: ${table.rows} rows, ${(table.bytes / 2 ** 30).toFixed(2)} GiB, built in ${buildSeconds.toFixed(0)} s`,
    );
    await freshDatabase(target, DATABASE, false);
    const run = await runThrottled(source, target, options);
    // Windows between consecutive samples; the first starts at the first COPY bytes. The last
    // mark is the copy's end, inside its window: left out, as the copy stops mid-window.
    const marks = [run.first, ...run.marks.filter((m) => m.at > run.first.at).slice(0, -1)];
    const samples: RateSample[] = [];
    for (let i = 1; i < marks.length; i++) {
      const [a, b] = [marks[i - 1], marks[i]] as [Mark, Mark];
      samples.push({
        at: (b.at - run.first.at) / 1000,
        mbps: (b.bytes - a.bytes) / MB / ((b.at - a.at) / 1000),
      });
    }
    const end = run.marks.at(-1) ?? run.first;
    const copySeconds = (end.at - run.first.at) / 1000;
    const meanMbps = copySeconds > 0 ? (end.bytes - run.first.bytes) / MB / copySeconds : 0;
    const maxDeviation = Math.max(0, ...samples.map((s) => Math.abs(s.mbps - options.mbps) / options.mbps));
    return {
      tableBytes: table.bytes,
      rows: table.rows,
      buildSeconds,
      copyBytes: end.bytes,
      copySeconds,
      samples,
      meanMbps,
      maxDeviation,
      exitCode: run.exitCode,
      machine: machineLines(facts),
      date: facts.date,
    };
  } finally {
    await servers.stopAll();
  }
}

export function throttledCopyReport(result: ThrottledCopyResult, options: ThrottledCopyOptions): string {
  const measured = result.samples.length > 0 ? (result.samples.at(-1)?.at ?? 0) : 0;
  return [
    '## Throttled copy',
    '',
    `A copy limited to ${options.mbps} MB/s (\`options.limits.copy.megabytesPerSecond\`), measured ${result.date}.`,
    '',
    `Command: \`pnpm --filter @pgshift/bench throttled-copy -- --size-gb ${options.sizeGb} --mbps ${options.mbps} --sample ${options.sampleSeconds} --jobs ${options.jobs}\``,
    '',
    ...result.machine,
    `- Dataset: one table, public.big (bigint, 192-character text), ${result.rows} rows, ${(result.tableBytes / 2 ** 30).toFixed(2)} GiB (pg_table_size), built in ${result.buildSeconds.toFixed(0)} s`,
    `- \`pgshift run\` (mode full, --no-verify) with \`options.limits.copy.megabytesPerSecond: ${options.mbps}\` and jobs ${options.jobs}: the table is split into ranges and the workers share the task's one bucket. The COPY bytes read from the source (1 MB = 10^6 bytes) come from the run's copy-progress events, sampled every ${options.sampleSeconds} s from the first COPY bytes; the last, partial window (the copy ends inside it) is left out.`,
    '',
    markdownTable(
      [
        'limit',
        'mean rate (whole copy)',
        'samples',
        'measured over',
        'lowest sample',
        'highest sample',
        'max deviation from the limit',
      ],
      [
        [
          `${options.mbps} MB/s`,
          `${result.meanMbps.toFixed(2)} MB/s (${(result.copyBytes / MB).toFixed(0)} MB in ${result.copySeconds.toFixed(1)} s)`,
          String(result.samples.length),
          `${measured.toFixed(1)} s`,
          `${Math.min(...result.samples.map((s) => s.mbps)).toFixed(2)} MB/s`,
          `${Math.max(...result.samples.map((s) => s.mbps)).toFixed(2)} MB/s`,
          `${(result.maxDeviation * 100).toFixed(1)} %`,
        ],
      ],
    ),
    '',
    `- Samples (MB/s): ${result.samples.map((s) => s.mbps.toFixed(2)).join(', ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: ThrottledCopyOptions = {
    sizeGb: numberArg(args, 'size-gb', 1.6),
    mbps: numberArg(args, 'mbps', 20),
    sampleSeconds: numberArg(args, 'sample', 5),
    jobs: numberArg(args, 'jobs', 4),
  };
  const result = await runThrottledCopyBench(options);
  const report = throttledCopyReport(result, options);
  console.log(report);
  if (!args.has('no-doc')) writeSection('throttled-copy', report);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
