// `pnpm build` (and `pnpm install`, through the root's prepare script): compiles the checkout's
// CLI and first-party plugins to packages/cli/dist, which bin/pgshift.mjs runs while it is fresh.
// With --if-possible (the install's), a failed build only warns: the bin runs the sources then.
import { relative } from 'node:path';
import { buildInPlace } from '../packages/cli/src/pack/build-in-place.js';
import { Workspace } from '../packages/cli/src/pack/workspace.js';

const ifPossible = process.argv.includes('--if-possible');
const workspace = Workspace.find(process.cwd());
if (!workspace) throw new Error(`${process.cwd()} is not inside a pgshift checkout`);
const started = performance.now();
try {
  const { dir, inputs } = await buildInPlace(workspace);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`pgshift: built ${relative(process.cwd(), dir)} from ${inputs} files in ${seconds} s`);
} catch (error) {
  if (!ifPossible) throw error;
  console.warn(`pgshift: no build (${(error as Error).message}); the CLI runs its TypeScript through tsx`);
}
