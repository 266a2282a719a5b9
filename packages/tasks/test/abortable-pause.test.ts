import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pause } from '../src/abortable-pause.js';

describe('pause', () => {
  it('leaves no listener on a long-lived signal after many waits (no MaxListenersExceededWarning)', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) expect(await pause(1, controller.signal)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends at once when the signal aborts, and says so', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = pause(60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await pause(60_000, controller.signal)).toBe(false);
  });
});
