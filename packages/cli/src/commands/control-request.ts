import type { Command } from 'commander';

/** The two requests a user sends a running task, from `pgshift finish|cancel` or `pgshift task ...`. */
export type ControlRequestName = 'finish' | 'cancel';

/** How long a request waits for the task to get there, unless `--no-wait`. */
export const CONTROL_WAIT_MS = 24 * 3600 * 1000;

/** What each request does, in the words both commands' help gives. */
export const CONTROL_DESCRIPTIONS: Record<ControlRequestName, string> = {
  finish:
    'finish a following task: apply everything committed up to now, sync sequences, verify, drop the slot',
  cancel: 'cancel a task: stop, drop its replication slot and publication, leave the target as it is',
};

/** The options both forms of a request take. */
export function withControlOptions(command: Command, request: ControlRequestName): Command {
  command.option('--no-wait', 'record the request and return at once');
  if (request === 'finish')
    command.option('--keep-state', "leave pgshift's bookkeeping (schema pgshift) on the target");
  return command;
}
