/**
 * Waits `ms`; resolves false at once when `signal` aborts, true otherwise. The listener goes with
 * the wait: a long-lived signal (a worker's, polled every second) must not gather one per wait,
 * which is what Node's MaxListenersExceededWarning was about.
 */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
