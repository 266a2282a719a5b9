import { describe, expect, it } from 'vitest';
import { backoffDelay, reconnectPolicy } from '../src/orchestrator/reconnect.js';

describe('backoffDelay', () => {
  const policy = reconnectPolicy({ reconnectAttempts: 20, reconnectMaxDelaySeconds: 30 });

  it('doubles from about a second up to the cap, each wait in the upper half of its step', () => {
    const lowest = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, policy, () => 0));
    const highest = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, policy, () => 1));
    expect(highest).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(lowest).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it('spreads runs cut off together over the step (jitter)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const waits = new Set(Array.from({ length: 20 }, () => backoffDelay(3, policy, random)));
    expect(waits.size).toBeGreaterThan(10);
  });

  it('never waits longer than a small cap allows', () => {
    const small = reconnectPolicy({ reconnectAttempts: 3, reconnectMaxDelaySeconds: 1 });
    expect(backoffDelay(10, small, () => 1)).toBe(1000);
  });
});
