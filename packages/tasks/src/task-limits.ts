import type { RateLimit, TaskLimits } from '@pgshift/plugin-api';

/*
 * A task's rate limits as set while it runs (`pgshift set`, `pgshift task set`): a change names
 * only what it changes, 0 lifting a limit, and is laid over the config's `options.limits`.
 */

const DIRECTIONS = ['copy', 'apply'] as const;
const FIELDS = ['rowsPerSecond', 'megabytesPerSecond'] as const;

/** `change` over `base`, field by field (a field given wins; 0 means unlimited); no 0 fields are kept. */
export function mergeLimits(base: TaskLimits | undefined, change: TaskLimits | undefined): TaskLimits {
  const out: TaskLimits = {};
  for (const direction of DIRECTIONS) {
    const limit: RateLimit = {};
    for (const field of FIELDS) {
      const value = change?.[direction]?.[field] ?? base?.[direction]?.[field];
      if (value !== undefined && value > 0) limit[field] = value;
    }
    if (Object.keys(limit).length > 0) out[direction] = limit;
  }
  return out;
}

/** Two changes one after the other: the later wins field by field, its 0s kept (they lift a limit). */
export function combineChanges(earlier: TaskLimits | undefined, later: TaskLimits): TaskLimits {
  const out: TaskLimits = {};
  for (const direction of DIRECTIONS) {
    const limit = { ...earlier?.[direction], ...later[direction] };
    if (Object.keys(limit).length > 0) out[direction] = limit;
  }
  return out;
}

export function sameLimits(a: TaskLimits | undefined, b: TaskLimits | undefined): boolean {
  const [x, y] = [mergeLimits(a, undefined), mergeLimits(b, undefined)];
  return DIRECTIONS.every((d) => FIELDS.every((f) => x[d]?.[f] === y[d]?.[f]));
}

function describeRate(limit: RateLimit | undefined): string {
  const parts = [
    ...(limit?.megabytesPerSecond ? [`${limit.megabytesPerSecond} MB/s`] : []),
    ...(limit?.rowsPerSecond ? [`${limit.rowsPerSecond} rows/s`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : 'unlimited';
}

/** `copy 20 MB/s; apply unlimited`: how status, task show and the history say the limits. */
export function describeLimits(limits: TaskLimits | undefined): string {
  const merged = mergeLimits(limits, undefined);
  return DIRECTIONS.map((d) => `${d} ${describeRate(merged[d])}`).join('; ');
}

/** A change as the history says it: only what it names (`copy 20 MB/s, apply rows unlimited`). */
export function describeChange(change: TaskLimits): string {
  const parts: string[] = [];
  for (const direction of DIRECTIONS) {
    const limit = change[direction];
    if (limit?.megabytesPerSecond !== undefined)
      parts.push(
        `${direction} ${limit.megabytesPerSecond > 0 ? `${limit.megabytesPerSecond} MB/s` : 'MB/s unlimited'}`,
      );
    if (limit?.rowsPerSecond !== undefined)
      parts.push(
        `${direction} ${limit.rowsPerSecond > 0 ? `${limit.rowsPerSecond} rows/s` : 'rows/s unlimited'}`,
      );
  }
  return parts.join(', ');
}

/** A limit as a person types it: a number of at least 0, or `none`; 0 and none lift it. */
export function parseLimitValue(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'none') return 0;
  const n = Number(value);
  return value === '' || !Number.isFinite(n) || n < 0 ? undefined : n;
}
