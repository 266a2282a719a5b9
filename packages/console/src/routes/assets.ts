import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CLIENT_SCRIPT } from '../assets/client-script.js';
import { STYLES } from '../assets/styles.js';
import type { ConsoleApp } from '../console-app.js';
import { NEW_TASK_SCRIPT } from '../new-task/client-script.js';
import { VERIFY_SCRIPT } from '../verify/client-script.js';

/**
 * uPlot's browser build, read from the installed `uplot` package: resolved from this module at run
 * time (in a checkout from packages/console, in the bundled CLI from its own node_modules, where
 * the pack lists uplot among the CLI's dependencies), never fetched from a network.
 */
function uplotFile(file: string): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
}

/**
 * `/assets/*`: the stylesheet, the client scripts (every page's, the new-task form's, the
 * verification page's) and uPlot; public (the sign-in page uses them). Every asset is listed
 * here: this route answers every `/assets/` path before any page module is reached.
 */
export function assetRoutes(app: ConsoleApp): void {
  const files: Record<string, { type: string; body: () => string }> = {
    'console.js': { type: 'text/javascript; charset=utf-8', body: () => CLIENT_SCRIPT },
    'console.css': { type: 'text/css; charset=utf-8', body: () => STYLES },
    'new-task.js': { type: 'text/javascript; charset=utf-8', body: () => NEW_TASK_SCRIPT },
    'verify.js': { type: 'text/javascript; charset=utf-8', body: () => VERIFY_SCRIPT },
    'uplot.js': { type: 'text/javascript; charset=utf-8', body: () => uplotFile('uPlot.iife.min.js') },
    'uplot.css': { type: 'text/css; charset=utf-8', body: () => uplotFile('uPlot.min.css') },
  };
  const cache = new Map<string, string>();
  app.get('/assets/:file', (c) => {
    const name = c.req.param('file');
    const file = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!file) return c.text('no such asset', 404);
    let body = cache.get(name);
    if (body === undefined) {
      body = file.body();
      cache.set(name, body);
    }
    c.header('content-type', file.type);
    c.header('cache-control', 'no-cache');
    return c.body(body);
  });
}
