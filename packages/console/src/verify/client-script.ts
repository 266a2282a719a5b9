/**
 * The verification page's script, served at /assets/verify.js (no inline script is allowed).
 * When /events says this task changed (checks started, ended, the task was started), it fetches
 * the page again and swaps its live part: the server renders it, so the script formats nothing.
 */
export const VERIFY_SCRIPT = `'use strict';
const live = () => document.querySelector('[data-live="verify"]');
const name = decodeURIComponent(location.pathname.split('/')[2] || '');
async function refresh() {
  const current = live();
  if (!current) return;
  try {
    const response = await fetch(location.pathname, { headers: { accept: 'text/html' } });
    if (response.ok) {
      const next = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('[data-live="verify"]');
      if (next && next.dataset.version !== current.dataset.version) current.replaceWith(document.importNode(next, true));
    }
  } catch {}
}
if (window.EventSource) {
  new EventSource('/events').addEventListener('task', (e) => {
    if (JSON.parse(e.data).name === name) refresh();
  });
}
// A change between this page's rendering and the stream's first event.
setTimeout(refresh, 1000);
`;
