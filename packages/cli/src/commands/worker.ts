import { jsonLinesReporter, plainReporter, runWorker } from '@pgshift/kernel';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { stopOnInterrupt } from '../interrupts.js';
import { loadOptionsFor, openStoreFor, STORE_HELP } from './task.js';

/**
 * `pgshift worker`: runs due tasks from the store in order of start time, one at a time unless
 * --concurrency says more. Ctrl-C stops the running tasks cleanly; they go back to the queue.
 */
export const workerCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('worker')
        .description('run due tasks from a task store, in order of start time, one at a time by default')
        .option('--store <store>', STORE_HELP)
        .option('--concurrency <n>', 'tasks run at the same time', (v) => Number.parseInt(v, 10), 1)
        .option('--once', 'exit once no task is running or waiting (scheduled ones are waited for)')
        .option('--idle-exit <seconds>', 'exit after this many seconds with nothing to run', Number)
        .option('--poll <seconds>', 'how often to look for due tasks', Number, 1)
        .option(
          '--stale <seconds>',
          'a running task whose worker sent no heartbeat this long is taken over',
          Number,
          20,
        )
        .option('--work-dir <dir>', 'local directory for run state (shared store)')
        .option(
          '--copy-shares <n>',
          'shared store: split each database copy into N shares that idle workers take',
          (v) => Number.parseInt(v, 10),
          1,
        )
        .option('--json', 'print one JSON event per line')
        .action(
          run(
            async (
              ctx,
              globals,
              opts: {
                store?: string;
                concurrency: number;
                once?: boolean;
                idleExit?: number;
                poll: number;
                stale: number;
                workDir?: string;
                copyShares: number;
                json?: boolean;
              },
            ) => {
              const store = openStoreFor(ctx, opts.store, true);
              const controller = new AbortController();
              const stopListening = stopOnInterrupt(
                ctx,
                controller,
                'stopping: running tasks stop cleanly and go back to the queue',
              );
              const log = (line: string) =>
                opts.json
                  ? ctx.print(JSON.stringify({ type: 'worker', text: line, at: new Date().toISOString() }))
                  : ctx.print(line);
              try {
                const summary = await runWorker({
                  store,
                  concurrency: opts.concurrency,
                  ...(opts.once ? { once: true } : {}),
                  ...(opts.idleExit === undefined ? {} : { idleExitMs: opts.idleExit * 1000 }),
                  pollMs: opts.poll * 1000,
                  staleMs: opts.stale * 1000,
                  ...(opts.workDir ? { workDir: opts.workDir } : {}),
                  copyShares: opts.copyShares,
                  loadOptions: loadOptionsFor(ctx, globals),
                  signal: controller.signal,
                  log,
                  progress: (task) => {
                    const reporter = opts.json
                      ? jsonLinesReporter((l) => ctx.print(l))
                      : plainReporter((l) => ctx.print(`[${task}] ${l}`));
                    return reporter;
                  },
                });
                if (opts.json) ctx.print(JSON.stringify({ type: 'summary', ...summary }));
                else
                  ctx.print(
                    `worker done: ${summary.ran.map((r) => `${r.task} ${r.status}`).join(', ') || 'nothing ran'}`,
                  );
                return summary.ran.some((r) => r.status === 'failed') ? 1 : 0;
              } finally {
                stopListening();
                await store.close();
              }
            },
          ),
        ),
    );
  },
};
