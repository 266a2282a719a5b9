import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { runDemo } from '../demo/run-demo.js';
import { createProgressOutput, parsePort } from '../display/index.js';
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
        .option(
          '--metrics-port <port>',
          'serve Prometheus metrics on 127.0.0.1:PORT/metrics during the demo',
          parsePort,
        )
        .action(
          run(
            async (
              ctx,
              globals,
              opts: {
                scale: string;
                syncSeconds: string;
                keep?: boolean;
                json?: boolean;
                metricsPort?: number;
              },
            ) => {
              const controller = new AbortController();
              const stop = () => controller.abort();
              process.once('SIGINT', stop);
              const output = await createProgressOutput(ctx, {
                json: opts.json === true,
                ...(opts.metricsPort === undefined ? {} : { metricsPort: opts.metricsPort }),
                task: 'demo-shop',
                plainIntervalMs: 2000,
              });
              let failed = true;
              try {
                const outcome = await runDemo({
                  scale: Math.max(100, Number(opts.scale) || 20000),
                  syncSeconds: Math.max(1, Number(opts.syncSeconds) || 10),
                  keep: opts.keep === true,
                  progress: output.sink,
                  // In --json every stdout line is an event, so the demo's own notes become messages.
                  print: (text) =>
                    output.kind === 'json'
                      ? output.sink.emit({ type: 'message', level: 'info', text })
                      : output.note(text),
                  load: (path) => loadForCommand(ctx, globals, path),
                  signal: controller.signal,
                });
                failed = outcome.status !== 'completed';
                await output.close({ failed });
                if (opts.json) ctx.print(JSON.stringify({ type: 'outcome', status: outcome.status }));
                else if (outcome.status === 'completed') {
                  ctx.print(`\ndemo completed: source and target verified identical`);
                  ctx.print(JSON.stringify(outcome.state.summary, null, 2));
                } else ctx.print(`\ndemo ended: ${outcome.status}`);
                return outcome.status === 'completed' || (opts.keep && outcome.status === 'interrupted')
                  ? 0
                  : 1;
              } finally {
                await output.close({ failed });
                process.off('SIGINT', stop);
              }
            },
          ),
        ),
    );
  },
};
