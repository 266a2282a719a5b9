import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ConsoleEnv } from '../console-app.js';
import { layout } from '../layout.js';

/** 404 for a task the store does not hold: JSON for the API, a page for a browser. */
export function taskNotFound(c: Context<ConsoleEnv>, name: string) {
  const message = `no task named ${name} in the store`;
  if (new URL(c.req.url).pathname.startsWith('/api/') || c.req.path.endsWith('.json'))
    return c.json({ error: { code: 'PGSHIFT_TASK_NOT_FOUND', message } }, 404);
  return c.html(
    layout(
      c.get('session'),
      { title: 'No such task', path: c.req.path },
      html`<h1>No such task</h1><p role="alert">${message}.</p><p><a href="/">All tasks</a></p>`,
    ),
    404,
  );
}
