import { describe, expect, it } from 'vitest';
import { appendLagSample, LAG_SAMPLES_KEPT, lagSample } from '../src/index.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();

describe('the lag series a task keeps for its chart', () => {
  it('sums lag bytes and apply rates over the databases and takes the largest lag in seconds', () => {
    expect(
      lagSample({
        at: at(0),
        databases: {
          a: { lagBytes: '1000', lagSeconds: 2, applyRate: 10 },
          b: { lagBytes: '500', lagSeconds: 7.5, applyRate: 5 },
          c: {},
        },
      }),
    ).toEqual({ at: at(0), lagBytes: 1500, lagSeconds: 7.5, applyRate: 15 });
    expect(lagSample({ at: at(0), databases: { a: {} } })).toBeUndefined();
  });

  it('keeps at most one sample per 5 seconds and only the last 720', () => {
    const live = (s: number) => ({ at: at(s), databases: { a: { lagBytes: String(s), applyRate: 1 } } });
    let series = appendLagSample(undefined, live(0));
    series = appendLagSample(series, live(1));
    series = appendLagSample(series, live(4.9));
    expect(series.map((s) => s.lagBytes)).toEqual([0]);
    series = appendLagSample(series, live(5));
    expect(series.map((s) => s.lagBytes)).toEqual([0, 5]);
    for (let s = 10; s <= 5 * 1000; s += 5) series = appendLagSample(series, live(s));
    expect(series).toHaveLength(LAG_SAMPLES_KEPT);
    expect(series.at(-1)?.lagBytes).toBe(5000);
    expect(series[0]?.lagBytes).toBe(5000 - 5 * (LAG_SAMPLES_KEPT - 1));
  });
});
