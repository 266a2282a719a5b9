import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Measured {
  /** Wall time in seconds, from spawn to exit. */
  seconds: number;
  /** Highest sum of VmRSS over the process and all its descendants seen while it ran, in bytes. */
  peakRssBytes: number;
  /** User + system CPU seconds of the process tree, as last sampled (slightly under the truth). */
  cpuSeconds: number;
  exitCode: number | null;
  /** Last lines of stdout and stderr, for diagnosing a failure. */
  output: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Sampling period for the RSS of the process tree. */
  sampleMs?: number;
  /** Echo the child's output as it comes (long benchmark runs). */
  echo?: boolean;
  /** Called with every complete stdout line (the tail kept in `output` is short). */
  onStdoutLine?: (line: string) => void;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

/** Parent pid of every live process, read from /proc/<pid>/stat. */
function parentMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(Number(entry), 'stat');
    if (!stat) continue;
    // The command name is in parentheses and may contain spaces; fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  return children;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Sum of VmRSS (bytes) and of CPU time (seconds) of `root` and every descendant. */
export function treeUsage(root: number): { rss: number; cpu: number } {
  const children = parentMap();
  let rss = 0;
  let ticks = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    const match = readProc(pid, 'status')?.match(/^VmRSS:\s+(\d+)\s+kB/m);
    if (match) rss += Number(match[1]) * 1024;
    const stat = readProc(pid, 'stat');
    if (stat) {
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the command name.
      ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return { rss, cpu: ticks / TICKS_PER_SECOND };
}

/** Runs a command to completion, timing it and sampling the memory of its process tree. */
export function runMeasured(command: string, args: string[], options: RunOptions = {}): Promise<Measured> {
  return startMeasured(command, args, options).done;
}

/** A command started and measured until it exits: `done` settles then; `child` lets a caller signal it. */
export interface MeasuredChild {
  child: ChildProcess;
  started: bigint;
  done: Promise<Measured>;
}

export function startMeasured(command: string, args: string[], options: RunOptions = {}): MeasuredChild {
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<Measured>((resolve, reject) => {
    let tail = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (options.echo) process.stderr.write(text);
      tail = (tail + text).slice(-8000);
    };
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (!options.onStdoutLine) return;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onStdoutLine(line);
    });
    child.stderr.on('data', keep);
    let peak = 0;
    let cpu = 0;
    const sample = () => {
      if (child.pid === undefined) return;
      const usage = treeUsage(child.pid);
      peak = Math.max(peak, usage.rss);
      cpu = Math.max(cpu, usage.cpu);
    };
    const timer = setInterval(sample, options.sampleMs ?? 100);
    child.once('spawn', sample);
    child.once('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, peakRssBytes: peak, cpuSeconds: cpu, exitCode: code, output: tail });
    });
  });
  return { child, started, done };
}

/** Runs a command that must succeed; the error carries its output. */
export async function runChecked(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<Measured> {
  const result = await runMeasured(command, args, options);
  if (result.exitCode !== 0) {
    throw new Error(`${command} ${args[0] ?? ''} exited with ${result.exitCode}:\n${result.output}`);
  }
  return result;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
