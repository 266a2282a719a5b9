#!/usr/bin/env node
// The CLI and its first-party plugins are TypeScript; tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
