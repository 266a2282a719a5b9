import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BIN = `#!/usr/bin/env node
// pgshift, bundled by \`pgshift pack\`.
import './loaders.mjs';

await import('../dist/main.js');
`;

// Registered in this process and, through NODE_OPTIONS, in the Node processes pgshift starts:
// the vitest workers of \`pgshift conformance\` load third-party plugins too.
const LOADERS = `// Third-party plugins are often TypeScript, loaded as they are: tsx compiles them. Each imports
// @pgshift/plugin-api by name, which resolves to this installation's copy (see the hooks), so every
// plugin shares the kernel's tokens: they are symbols, and a second copy (one installed with the
// plugin, or tsx's scoped import) would match none of them.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./plugin-api-hooks.mjs', import.meta.url);
const option = \`--import \${import.meta.url}\`;
if (!process.env.NODE_OPTIONS?.includes(option))
  process.env.NODE_OPTIONS = \`\${process.env.NODE_OPTIONS ?? ''} \${option}\`.trim();
`;

const HOOKS = `// Module resolution hook: @pgshift/plugin-api is resolved from the bundled CLI, whoever imports it.
const from = new URL('../dist/main.js', import.meta.url).href;

export function resolve(specifier, context, nextResolve) {
  if (specifier !== '@pgshift/plugin-api') return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, parentURL: from });
}
`;

/** Writes the packed CLI's bin/: the command and the loaders it registers first. */
export function writePackedBin(stageDir: string): string {
  const bin = join(stageDir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'pgshift.mjs'), BIN);
  chmodSync(join(bin, 'pgshift.mjs'), 0o755);
  writeFileSync(join(bin, 'loaders.mjs'), LOADERS);
  writeFileSync(join(bin, 'plugin-api-hooks.mjs'), HOOKS);
  return 'bin/pgshift.mjs';
}
