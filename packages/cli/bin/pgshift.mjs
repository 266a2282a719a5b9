#!/usr/bin/env node
// The CLI and its first-party plugins are TypeScript; tsx compiles them on the fly.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
// Plugins not installed yet resolve the plugin contract and the conformance suite to ours.
registerHooks('./contract-fallback.mjs', import.meta.url, {
  data: {
    '@pgshift/plugin-api': import.meta.resolve('@pgshift/plugin-api'),
    '@pgshift/conformance': import.meta.resolve('@pgshift/conformance'),
  },
});
await import('../src/main.ts');
