import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PackError } from './pack-error.js';
import type { Workspace } from './workspace.js';

/** Runs the checkout's TypeScript compiler; its diagnostics become the PackError's message. */
export function runTsc(workspace: Workspace, args: string[], what: string): void {
  const tsc = join(workspace.root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, ...args], { cwd: workspace.root, encoding: 'utf8' });
  if (result.status === 0) return;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(0, 20).join('\n');
  throw new PackError(
    `tsc failed while ${what}:\n${output || result.error?.message || `exit code ${result.status}`}`,
    'fix the errors above (npx tsc -p tsconfig.json --noEmit shows them too), then pack again',
  );
}
