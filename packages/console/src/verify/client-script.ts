/**
 * The verification page's script, served at /assets/verify.js (no inline script is allowed).
 * It fetches the page again and swaps its live part when the record changed: every 2 s while
 * the checks run, every 5 s otherwise.
 */
export const VERIFY_SCRIPT = `'use strict';
const live = () => document.querySelector('[data-live="verify"]');
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
  setTimeout(refresh, live()?.dataset.status === 'checking' ? 2000 : 5000);
}
setTimeout(refresh, 1000);
`;
