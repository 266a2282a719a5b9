import { describe, expect, it } from 'vitest';
import { LagTracker } from '../src/lag-tracker.js';

const NOW = Date.parse('2026-12-06T05:00:00Z');
const usAgo = (seconds: number) => BigInt(NOW - seconds * 1000) * 1000n;

describe('lag in seconds', () => {
  it('is zero once everything received is applied, however old the last commit was (a resume on an idle source)', () => {
    const tracker = new LagTracker();
    tracker.began(usAgo(1100), NOW);
    tracker.received(100n, usAgo(1100), NOW);
    expect(tracker.status(NOW).lagSeconds).toBe(1100);
    tracker.applyGroup(100n, 1);
    expect(tracker.status(NOW).lagSeconds).toBe(0);
  });

  it('is the age of the oldest transaction not yet applied: a fresh one after an old one is not late', () => {
    const tracker = new LagTracker();
    tracker.received(100n, usAgo(1100), NOW);
    tracker.applyGroup(100n, 1);
    tracker.received(200n, usAgo(2), NOW);
    tracker.received(300n, usAgo(1), NOW);
    expect(tracker.status(NOW).lagSeconds).toBe(2);
    tracker.applyGroup(200n, 1);
    expect(tracker.status(NOW).lagSeconds).toBe(1);
  });

  it('counts a transaction still arriving from its begin, from its arrival when the format gives no time', () => {
    const tracker = new LagTracker();
    tracker.began(undefined, NOW - 3000);
    expect(tracker.status(NOW).lagSeconds).toBe(3);
    tracker.received(100n, undefined, NOW);
    expect(tracker.status(NOW).lagSeconds).toBe(3);
    tracker.applyGroup(100n, 1);
    expect(tracker.status(NOW).lagSeconds).toBe(0);
  });
});
