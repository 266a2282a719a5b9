import { PgshiftError, type RateLimit, type TaskLimits } from '@pgshift/plugin-api';
import { describeChange, describeLimits, parseLimitValue } from '@pgshift/tasks';
import { type Command, InvalidArgumentError } from 'commander';

/** The options of `pgshift set` and `pgshift task set`: each names one limit; 0 or none lifts it. */
const OPTIONS = [
  [
    '--copy-mbps <n>',
    'copy',
    'megabytesPerSecond',
    'copy: MB/s (10^6 bytes) of COPY data read from the source',
  ],
  ['--copy-rows <n>', 'copy', 'rowsPerSecond', 'copy: rows/s read from the source'],
  ['--apply-mbps <n>', 'apply', 'megabytesPerSecond', 'apply: MB/s of changes applied to the target'],
  ['--apply-rows <n>', 'apply', 'rowsPerSecond', 'apply: rows/s of changes applied to the target'],
] as const;

export type LimitOptions = {
  copyMbps?: number;
  copyRows?: number;
  applyMbps?: number;
  applyRows?: number;
};

const KEYS: Record<(typeof OPTIONS)[number][0], keyof LimitOptions> = {
  '--copy-mbps <n>': 'copyMbps',
  '--copy-rows <n>': 'copyRows',
  '--apply-mbps <n>': 'applyMbps',
  '--apply-rows <n>': 'applyRows',
};

/** commander parser: a number of at least 0; `none` (or 0) is unlimited. */
export function parseLimit(value: string): number {
  const n = parseLimitValue(value);
  if (n === undefined)
    throw new InvalidArgumentError('expected a number of at least 0, or none (0 and none lift the limit)');
  return n;
}

export function withLimitOptions(command: Command): Command {
  for (const [flags, , , description] of OPTIONS)
    command.option(flags, `${description}; 0 or none = unlimited`, parseLimit);
  return command;
}

/** What the options ask to change; refuses a command that names none. */
export function limitsChange(opts: LimitOptions): TaskLimits {
  const change: TaskLimits = {};
  for (const [flags, direction, field] of OPTIONS) {
    const value = opts[KEYS[flags]];
    if (value === undefined) continue;
    const limit: RateLimit = change[direction] ?? {};
    limit[field] = value;
    change[direction] = limit;
  }
  if (Object.keys(change).length === 0)
    throw new PgshiftError('PGSHIFT_USAGE', 'no limit to set was given', {
      remedy:
        'name at least one of --copy-mbps, --copy-rows, --apply-mbps, --apply-rows (0 or none = unlimited)',
    });
  return change;
}

/** The line both commands print after a change. */
export function changedLine(change: TaskLimits, inForce: TaskLimits | undefined, running: boolean): string {
  const when = running ? 'the running task applies it within a few seconds' : 'applies when the task runs';
  return `limits set: ${describeChange(change)} (${when})${inForce ? `; in force now: ${describeLimits(inForce)}` : ''}`;
}
