import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context.js';

/**
 * One CLI command. `register` adds it to the program; its action returns the exit code (or
 * nothing for 0) and may throw: the shared error handler prints PgshiftErrors as
 * `error[CODE]: message` with their remedy and picks the exit code.
 */
export interface CliCommand {
  register(program: Command, run: ActionRunner): void;
}

export type Action<A extends unknown[]> = (
  ctx: CliContext,
  globals: GlobalOptions,
  ...args: A
) => Promise<number | undefined> | number | undefined;

/** Wraps a command's action with the context, the global options and the shared error handling. */
export type ActionRunner = <A extends unknown[]>(action: Action<A>) => (...args: unknown[]) => Promise<void>;
