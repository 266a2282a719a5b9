import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { runDemo } from '../demo/run-demo.js';
import { loadForCommand } from '../load.js';

/** `pgshift demo`: the whole flow on two embedded servers, in about a minute. */
export const demoCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('demo')
        .description('migrate a small live shop between two embedded PostgreSQL servers, end to end')
        .option('--scale <n>', 'customers in the demo shop (orders and items scale with it)', '20000')
        .option('--sync-seconds <n>', 'seconds of live sync before finishing', '10')
        .option('--keep', 'leave the servers running at the end and print how to connect')
        .option('--json', 'print one JSON event per line')
        .action(
          run(
            async (
              ctx,
              globals,
              opts: { scale: string; syncSeconds: string; keep?: boolean; json?: boolean },
            ) => {
              const controller = new AbortController();
              const stop = () => controller.abort();
              process.once('SIGINT', stop);
              try {
                const outcome = await runDemo({
                  scale: Math.max(100, Number(opts.scale) || 20000),
                  syncSeconds: Math.max(1, Number(opts.syncSeconds) || 10),
                  keep: opts.keep === true,
                  json: opts.json === true,
                  print: (line) => ctx.print(line),
                  load: (path) => loadForCommand(ctx, globals, path),
                  signal: controller.signal,
                });
                if (opts.json) ctx.print(JSON.stringify({ type: 'outcome', status: outcome.status }));
                else if (outcome.status === 'completed') {
                  ctx.print(`\ndemo completed: source and target verified identical`);
                  ctx.print(JSON.stringify(outcome.state.summary, null, 2));
                } else ctx.print(`\ndemo ended: ${outcome.status}`);
                return outcome.status === 'completed' || (opts.keep && outcome.status === 'interrupted')
                  ? 0
                  : 1;
              } finally {
                process.off('SIGINT', stop);
              }
            },
          ),
        ),
    );
  },
};
