import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContextSpec } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '../../..');

export interface FollowChild {
  process: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/**
 * Starts test/fixtures/follow-child.ts in one node process (tsx loaded with --import; the tsx
 * command would put a second process in between, and SIGKILL would miss the follower).
 */
export function startFollowChild(spec: ContextSpec & { drainFile: string }): FollowChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'fixtures/follow-child.ts'), JSON.stringify(spec)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output, exited };
}
