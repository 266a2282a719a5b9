import { describe, expect, it } from 'vitest';
import { backoffDelay, reconnectPolicy } from '../src/orchestrator/reconnect-policy.js';

describe('backoffDelay', () => {
  const policy = reconnectPolicy({ reconnectAttempts: 20, reconnectMaxDelaySeconds: 30 });

  it('grows 1.6x from a quarter second up to the cap, each wait in the upper half of its step', () => {
    const attempts = Array.from({ length: 14 }, (_, i) => i + 1);
    const highest = attempts.map((n) => backoffDelay(n, policy, () => 1));
    const lowest = attempts.map((n) => backoffDelay(n, policy, () => 0));
    expect(highest.slice(0, 4)).toEqual([250, 400, 640, 1024]);
    expect(highest.slice(-3)).toEqual([30000, 30000, 30000]);
    expect(lowest.map((low, i) => Math.abs(low - (highest[i] as number) / 2) <= 1)).not.toContain(false);
    for (let i = 1; i < highest.length; i++)
      expect(highest[i]).toBeGreaterThanOrEqual(highest[i - 1] as number);
  });

  it('waits in all about five minutes over the 20 default attempts, at most', () => {
    const total = Array.from({ length: 20 }, (_, i) => backoffDelay(i + 1, policy, () => 1)).reduce(
      (a, b) => a + b,
    );
    expect(total / 60_000).toBeGreaterThan(4);
    expect(total / 60_000).toBeLessThan(7);
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
