import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ConsoleSession } from './console-app.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  { href: '/', label: 'Tasks' },
  { href: '/tasks/new', label: 'New task' },
  { href: '/plugins', label: 'Plugins' },
] as const;

export interface PageOptions {
  /** The document title (the page's `<h1>` is part of `body`). */
  title: string;
  /** The request's path: its nav link gets aria-current="page". */
  path: string;
  /** Load uPlot (the task detail's chart). */
  chart?: boolean;
}

/**
 * Every page's frame: header with the main nav, one `<main>`, the session's CSRF token in
 * `<meta name="csrf-token">` for scripts, the stylesheet and the one client script. No inline
 * script or style: the Content-Security-Policy forbids them.
 */
export function layout(session: ConsoleSession | undefined, options: PageOptions, body: Html) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${session?.csrfToken ?? ''}">
<title>${options.title} — pgshift console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/console.css">
${options.chart ? html`<link rel="stylesheet" href="/assets/uplot.css"><script src="/assets/uplot.js" defer></script>` : ''}
<script src="/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<span class="brand">pgshift console</span>
<nav aria-label="Main"><ul>
${NAV.map(
  (link) =>
    html`<li><a href="${link.href}"${options.path === link.href ? html` aria-current="page"` : ''}>${link.label}</a></li>`,
)}
</ul></nav>
${session?.origin ? html`<span class="who">${session.origin}</span>` : ''}
</header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

/** The hidden field every form carries: the session's CSRF token. */
export function csrfField(session: ConsoleSession) {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;
}
