import { defaultMigrationDeps, formatError, requestAndWait, runTask } from '@pgshift/kernel';
import { resumable } from '@pgshift/tasks';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadForCommand } from '../load.js';
import {
  CONTROL_DESCRIPTIONS,
  CONTROL_WAIT_MS,
  type ControlRequestName,
  withControlOptions,
} from './control-request.js';

function controlCommand(name: ControlRequestName): CliCommand {
  return {
    register(program, run) {
      const command = withControlOptions(
        new Command(name)
          .description(CONTROL_DESCRIPTIONS[name])
          .requiredOption('-c, --config <file>', 'task config file'),
        name,
      );
      program.addCommand(
        command.action(
          run(async (ctx, globals, opts: { config: string; wait: boolean; keepState?: boolean }) => {
            const task = await loadForCommand(ctx, globals, opts.config);
            const result = await requestAndWait(task.config.options.stateDir, name, {
              timeoutMs: opts.wait ? CONTROL_WAIT_MS : 0,
              keepState: opts.keepState === true,
            });
            const state = result.state;
            if (result.outcome === 'not-running' && name === 'cancel' && state && resumable(state)) {
              // No process will come back to it (its apply may fail again and again): carried out here.
              ctx.print(`no process is running task ${task.config.task.name}; cancelling it now`);
              try {
                const outcome = await runTask(task, { deps: defaultMigrationDeps });
                if (outcome.status !== 'cancelled') {
                  ctx.print(`task ${task.config.task.name}: ${outcome.status}`);
                  return 1;
                }
                ctx.print(
                  `task ${task.config.task.name}: cancelled; its replication slots and publications are dropped`,
                );
                for (const line of outcome.cleanupAdvice ?? []) ctx.print(`  ${line}`);
                return 0;
              } finally {
                await task.close();
              }
            }
            await task.close();
            if (result.outcome === 'not-running') {
              ctx.print(
                `no process is running task ${task.config.task.name}; the ${name} request is recorded and ` +
                  `"pgshift run -c ${opts.config}" will carry it out`,
              );
              return 0;
            }
            if (!opts.wait || result.outcome === 'timeout') {
              ctx.print(`${name} requested; follow it with "pgshift status -c ${opts.config}"`);
              return 0;
            }
            ctx.print(
              `task ${task.config.task.name}: ${state?.status ?? 'unknown'} (stage ${state?.stage ?? '?'})`,
            );
            if (state?.summary) ctx.print(JSON.stringify(state.summary, null, 2));
            if (state?.status === 'failed' && state.error) ctx.print(formatError(state.error));
            const wanted = name === 'finish' ? 'completed' : 'cancelled';
            return state?.status === wanted ? 0 : 1;
          }),
        ),
      );
    },
  };
}

/** `pgshift finish -c FILE`: drain to the source's current position, verify, drop the slot, complete. */
export const finishCommand = controlCommand('finish');

/** `pgshift cancel -c FILE`: stop following and drop slot and publication; the target is left as is. */
export const cancelCommand = controlCommand('cancel');
