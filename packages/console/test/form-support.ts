import type { SandboxServer } from '@pgshift/sandbox';
import { openTaskStore, type TaskStore } from '@pgshift/tasks';
import { Hono } from 'hono';
import type { ConsoleEnv } from '../src/console-app.js';
import { newTaskRoutes } from '../src/routes/new-task.js';
import { verifyRoutes } from '../src/routes/verify.js';
import { TaskPoller } from '../src/task-poller.js';

export const PASSWORD = 'Console-S3cret-pw';
export const CSRF = 'test-csrf-token';

/**
 * The two route modules on a bare app: the session the core's auth middleware would set, over a
 * real file task store (the CLI's `--store DIR` opens the same one).
 */
export function formApp(storeDir: string, stateDir: string): { app: Hono<ConsoleEnv>; store: TaskStore } {
  const store = openTaskStore(storeDir);
  const app = new Hono<ConsoleEnv>();
  app.use(async (c, next) => {
    c.set('session', { origin: 'console:test', csrfToken: CSRF });
    await next();
  });
  const deps = { store, loadOptions: () => ({}), stateDir, poller: new TaskPoller(store) };
  newTaskRoutes(app, deps);
  verifyRoutes(app, deps);
  return { app, store };
}

/** The form fields of one endpoint reached by public-ip. */
export function endpointFields(side: 'source' | 'target', server: SandboxServer): Record<string, string> {
  return {
    [`${side}.access`]: 'public-ip',
    [`${side}.host`]: server.host,
    [`${side}.port`]: String(server.port),
    [`${side}.user`]: server.user,
    [`${side}.password`]: PASSWORD,
  };
}

/** A browser's form post (urlencoded, with the CSRF field). */
export function post(app: Hono<ConsoleEnv>, path: string, fields: Record<string, string>) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ _csrf: CSRF, ...fields }).toString(),
  });
}

/** The fieldsets of one side, by access mode: whether shown, and the input names inside. */
export function sideFieldsets(page: string, side: string) {
  const section = page.slice(page.indexOf(`<section aria-labelledby="h-${side}"`));
  const body = section.slice(0, section.indexOf('</section>'));
  const parts = body.split(`<fieldset data-side="${side}" data-access="`).slice(1);
  return parts.map((part) => ({
    access: part.slice(0, part.indexOf('"')),
    hidden: /^[^>]*\bhidden disabled>/.test(part),
    names: [...part.matchAll(/<(?:input|select|textarea)[^>]*\bname="([^"]+)"/g)].map((m) => m[1]),
  }));
}
