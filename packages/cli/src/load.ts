import { type LoadedTask, loadTask, Redactor } from '@pgshift/kernel';
import type { CliContext, GlobalOptions } from './context.js';

/** Loads a task for a command; its redactor joins the context's so every error printed is masked. */
export async function loadForCommand(
  ctx: CliContext,
  globals: GlobalOptions,
  configPath: string,
): Promise<LoadedTask> {
  // Registered before loading, so an error thrown while loading is masked too.
  const redactor = new Redactor();
  ctx.redactors.push(redactor);
  return loadTask(configPath, {
    redactor,
    ...(globals.verbose ? { verbose: true } : {}),
    ...(globals.logLevel ? { logLevel: globals.logLevel } : {}),
    logDestination: ctx.stderr,
  });
}
