import type { Context } from 'hono';
import { html } from 'hono/html';

/** Whether the request is a browser asking for a page (not the API, the event stream or JSON). */
export function wantsPage(c: Context): boolean {
  const path = new URL(c.req.url).pathname;
  if (path.startsWith('/api/') || path === '/events' || path.endsWith('.json')) return false;
  return c.req.header('accept')?.includes('text/html') === true;
}

/**
 * A 403 that says why and what to do: JSON for the API and the event stream, a short page for a
 * browser. Never echoes what the request sent (it may be a token).
 */
export function refuse(c: Context, message: string, remedy: string, status: 401 | 403 = 403) {
  if (!wantsPage(c)) return c.json({ error: { code: 'PGSHIFT_CONSOLE_REFUSED', message, remedy } }, status);
  return c.html(
    html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Refused — pgshift console</title>
<link rel="stylesheet" href="/assets/console.css"></head>
<body><main><h1>Refused</h1><p role="alert">${message}</p><p>${remedy}</p>
<p><a href="/login">Sign in</a></p></main></body></html>`,
    status,
  );
}
