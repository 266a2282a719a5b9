import { describeLimits, mergeLimits } from './task-limits.js';
import type { TaskRecord } from './task-record.js';

/**
 * The limits of a stored task as `task show` and the console say them: those its run has in
 * force, else the changes recorded for its next run.
 */
export function limitsLine(record: TaskRecord): string | undefined {
  if (record.run?.limits) return describeLimits(record.run.limits);
  if (record.limits)
    return `set ${describeLimits(mergeLimits(undefined, record.limits))} (over the config's)`;
  return undefined;
}
