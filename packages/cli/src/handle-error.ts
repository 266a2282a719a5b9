import { exitCodeOf, formatError } from '@pgshift/kernel';
import type { CliContext } from './context.js';

/** Prints an error for a person (stack traces only with --verbose) and returns the exit code. */
export function handleError(error: unknown, ctx: CliContext, verbose: boolean): number {
  ctx.warn(formatError(error, { verbose }));
  return exitCodeOf(error);
}
