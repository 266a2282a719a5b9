#!/usr/bin/env node
// In a checkout, pgshift runs the JavaScript that `pnpm build` (run by `pnpm install`) compiles
// into ../dist, while that build is fresh: no source file it was made from has changed since.
// Otherwise, or with PGSHIFT_FROM_SOURCE=1, it runs the TypeScript itself through tsx (a second
// or so more at every start), so a stale build never runs old code. `pgshift pack` writes the
// published package's own bin (src/pack/packed-bin.ts).
import { register as registerHooks } from 'node:module';
import { freshBuild } from './fresh-build.mjs';

const dist = new URL('../dist/', import.meta.url);

// Plugins not installed yet resolve the plugin contract and the conformance suite to ours.
const conformance = import.meta.resolve('@pgshift/conformance');
if (!process.env.PGSHIFT_FROM_SOURCE && freshBuild(dist)) {
  // Module hooks start Node's loader thread: registered only before the first module the build
  // does not carry (a third-party plugin, a config module, the conformance suite).
  globalThis[Symbol.for('pgshift.prepareForeignImports')] = async () => {
    const { register } = await import('tsx/esm/api');
    register();
    registerHooks('./contract-fallback.mjs', import.meta.url, {
      data: {
        overrides: { '@pgshift/plugin-api': new URL('plugin-api.js', dist).href },
        fallbacks: { '@pgshift/conformance': conformance },
      },
    });
  };
  await import('../dist/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  registerHooks('./contract-fallback.mjs', import.meta.url, {
    data: {
      fallbacks: {
        '@pgshift/plugin-api': import.meta.resolve('@pgshift/plugin-api'),
        '@pgshift/conformance': conformance,
      },
    },
  });
  await import('../src/main.ts');
}
