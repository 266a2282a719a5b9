import type { LiveStatus } from './state-dir.js';

/** One point of a task's lag chart: the task's databases taken together. */
export interface LagSample {
  at: string;
  /** Sum over the databases. */
  lagBytes?: number;
  /** The largest over the databases: the task is as late as its latest database. */
  lagSeconds?: number;
  /** Sum over the databases, transactions per second. */
  applyRate?: number;
}

/** At most one sample per this long: live figures come every second or so. */
export const LAG_SAMPLE_EVERY_MS = 5_000;
/** Samples kept: an hour at one per 5 s, a record small enough to rewrite on every update. */
export const LAG_SAMPLES_KEPT = 720;

/** The sample of one publication of live figures; undefined when no database gave a figure. */
export function lagSample(live: Pick<LiveStatus, 'at' | 'databases'>): LagSample | undefined {
  const figures = Object.values(live.databases);
  const sum = (values: (number | undefined)[]) => {
    const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    return known.length > 0 ? known.reduce((s, v) => s + v, 0) : undefined;
  };
  const lagBytes = sum(figures.map((f) => (f.lagBytes === undefined ? undefined : Number(f.lagBytes))));
  const applyRate = sum(figures.map((f) => f.applyRate));
  const seconds = figures.map((f) => f.lagSeconds).filter((v): v is number => v !== undefined);
  const lagSeconds = seconds.length > 0 ? Math.max(...seconds) : undefined;
  if (lagBytes === undefined && applyRate === undefined && lagSeconds === undefined) return undefined;
  return {
    at: live.at,
    ...(lagBytes === undefined ? {} : { lagBytes }),
    ...(lagSeconds === undefined ? {} : { lagSeconds }),
    ...(applyRate === undefined ? {} : { applyRate }),
  };
}

/**
 * The series with the sample of `live` appended, unless the last sample is under
 * LAG_SAMPLE_EVERY_MS old; the oldest samples drop beyond LAG_SAMPLES_KEPT. The one place the
 * chart's series grows.
 */
export function appendLagSample(
  series: readonly LagSample[] | undefined,
  live: Pick<LiveStatus, 'at' | 'databases'>,
): LagSample[] {
  const current = series ?? [];
  const sample = lagSample(live);
  if (!sample) return [...current];
  const last = current.at(-1);
  if (last && Date.parse(sample.at) - Date.parse(last.at) < LAG_SAMPLE_EVERY_MS) return [...current];
  return [...current, sample].slice(-LAG_SAMPLES_KEPT);
}
