import { requestLimits } from '@pgshift/kernel';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadForCommand } from '../load.js';
import { changedLine, type LimitOptions, limitsChange, withLimitOptions } from './limit-options.js';

/**
 * `pgshift set -c FILE --copy-mbps N ...`: changes the rate limits of a task run with
 * `pgshift run -c FILE`, while it runs (or for its next run), as `task set` does for stored tasks.
 */
export const setCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      withLimitOptions(
        new Command('set')
          .description(
            "change a task's rate limits while it runs (over the config's options.limits): the copy's and apply's rows/s and MB/s",
          )
          .requiredOption('-c, --config <file>', 'task config file')
          .option('--json', 'print JSON'),
      ).action(
        run(async (ctx, globals, opts: LimitOptions & { config: string; json?: boolean }) => {
          const change = limitsChange(opts);
          const task = await loadForCommand(ctx, globals, opts.config);
          try {
            const { inForce, running } = requestLimits(task.config.options.stateDir, change);
            if (opts.json) ctx.print(JSON.stringify({ change, inForce, running }, null, 2));
            else ctx.print(changedLine(change, inForce, running));
            return 0;
          } finally {
            await task.close();
          }
        }),
      ),
    );
  },
};
