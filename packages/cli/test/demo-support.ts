import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './run-cli.js';

export const CLI = join(REPO, 'packages/cli/bin/pgshift.mjs');
/** Small and short: the tests prove the flow, not the speed. */
export const DEMO_ARGS = ['demo', '--scale', '2000', '--sync-seconds', '3'];

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<number>;
}

/** Starts the real CLI with output on pipes (not a terminal), collecting both streams. */
export function spawnCli(args: string[]): Spawned {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
