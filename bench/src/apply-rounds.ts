import type { ApplyResult } from './apply-rate-result.js';

/** The median round's result of one consumer; a failed or mismatched round wins over any median. */
export function summarize(rounds: ApplyResult[]): ApplyResult {
  const bad = rounds.find((r) => r.status !== 'ok');
  if (bad) return bad;
  const sorted = [...rounds].sort((a, b) => (a.seconds ?? 0) - (b.seconds ?? 0));
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as ApplyResult;
  return {
    ...median,
    roundSeconds: rounds.map((r) => r.seconds ?? Number.NaN),
    peakRssBytes: Math.max(...rounds.map((r) => r.peakRssBytes ?? 0)) || undefined,
  };
}
