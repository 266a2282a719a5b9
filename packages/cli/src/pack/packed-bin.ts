import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from './workspace.js';

// The checkout's bin, for the bundle: compiled JavaScript, started with no module hooks (each
// starts Node's loader thread: a third of a second before any work). The kernel calls the prepare
// hook once, before it imports the first module the bundle does not carry (a third-party plugin or
// a config module): then tsx is registered, so plugins written in TypeScript load as they are, and
// the checkout's own contract-fallback hook gives a plugin that has not installed
// @pgshift/plugin-api or @pgshift/conformance this installation's copies.
const BIN = `#!/usr/bin/env node
// pgshift, bundled by \`pgshift pack\`: compiled JavaScript, no TypeScript loader until a plugin needs one.
globalThis[Symbol.for('pgshift.prepareForeignImports')] = async () => {
  const { register: registerHooks } = await import('node:module');
  const { register } = await import('tsx/esm/api');
  const { kit } = await import('../dist/kit.mjs');
  register();
  // Plugins not installed yet resolve the plugin contract and the conformance suite to ours.
  registerHooks('./contract-fallback.mjs', import.meta.url, { data: { fallbacks: kit } });
};
await import('../dist/main.js');
`;

// Resolved from dist/, whose node_modules holds the kit packages.
const KIT = `// This installation's copies of the plugin-author kit, resolved from dist/node_modules.
export const kit = {
  '@pgshift/plugin-api': import.meta.resolve('@pgshift/plugin-api'),
  '@pgshift/conformance': import.meta.resolve('@pgshift/conformance'),
};
`;

/** Writes the packed CLI's bin/ (and the dist/kit.mjs it reads); returns the bin's path in the package. */
export function writePackedBin(workspace: Workspace, stageDir: string): string {
  const bin = join(stageDir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'pgshift.mjs'), BIN);
  chmodSync(join(bin, 'pgshift.mjs'), 0o755);
  const hook = 'contract-fallback.mjs';
  copyFileSync(join(workspace.get('@pgshift/cli').dir, 'bin', hook), join(bin, hook));
  writeFileSync(join(stageDir, 'dist', 'kit.mjs'), KIT);
  return 'bin/pgshift.mjs';
}
