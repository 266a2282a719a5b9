import { defaultMigrationDeps, lostSnapshotConflict, type RunOutcome, runTask } from '@pgshift/kernel';
import { expectedStages, type LostSnapshotChoice, PgshiftError } from '@pgshift/plugin-api';
import { Command, Option } from 'commander';
import type { CliCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { createProgressOutput, parsePort } from '../display/index.js';
import { stopOnInterrupt } from '../interrupts.js';
import { loadForCommand } from '../load.js';
import { render as renderChecks } from './check.js';

/**
 * `pgshift run -c FILE`: checks, schema, full copy, then (full+incremental) follows the source
 * until `pgshift finish` or `pgshift cancel` from another terminal. Ctrl-C stops cleanly and a
 * later run resumes.
 */
export const runCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('run')
        .description('run a migration task: checks, schema, full copy, then incremental sync until finish')
        .requiredOption('-c, --config <file>', 'task config file')
        .option('--json', 'print one JSON event per line instead of log lines')
        .option(
          '--metrics-port <port>',
          'serve Prometheus metrics on 127.0.0.1:PORT/metrics during the run',
          parsePort,
        )
        .addOption(
          new Option('--on-lost-snapshot <choice>', 'when a resumed copy finds its snapshot gone').choices([
            'fail',
            'restart',
            'per-table',
          ]),
        )
        .option('--no-verify', 'skip the verification after the copy and at finish')
        .option(
          '--ddl-applied <database:id...>',
          'schema changes you applied to the target by hand after sync stopped before them (as the stop names them)',
        )
        .option(
          '--keep-state',
          "when the task completes, leave pgshift's bookkeeping (schema pgshift) on the target",
        )
        .action(
          run(
            async (
              ctx,
              globals,
              opts: {
                config: string;
                json?: boolean;
                metricsPort?: number;
                onLostSnapshot?: LostSnapshotChoice;
                verify: boolean;
                keepState?: boolean;
                ddlApplied?: string[];
              },
            ) => {
              const task = await loadForCommand(ctx, globals, opts.config);
              if (opts.onLostSnapshot) {
                const conflict = lostSnapshotConflict(task.config.mode, opts.onLostSnapshot);
                if (conflict)
                  throw new PgshiftError('PGSHIFT_USAGE', `--on-lost-snapshot ${conflict}`, {
                    remedy: `pgshift run -c ${opts.config} --on-lost-snapshot restart`,
                  });
                task.config.options.onLostSnapshot = opts.onLostSnapshot;
              }
              const output = await createProgressOutput(ctx, {
                json: opts.json === true,
                ...(opts.metricsPort === undefined ? {} : { metricsPort: opts.metricsPort }),
                task: task.config.task.name,
                stages: expectedStages(task.config.mode),
              });
              const controller = new AbortController();
              const stopListening = stopOnInterrupt(
                ctx,
                controller,
                'stopping cleanly (press Ctrl-C again to exit at once); run again to resume',
              );
              let failed = true;
              try {
                const outcome = await runTask(task, {
                  deps: defaultMigrationDeps,
                  progress: output.sink,
                  signal: controller.signal,
                  verify: opts.verify,
                  keepState: opts.keepState === true,
                  ...(opts.ddlApplied ? { ddlAppliedByHand: opts.ddlApplied } : {}),
                });
                failed = outcome.status !== 'completed' && outcome.status !== 'cancelled';
                await output.close({ failed });
                return report(ctx, outcome, opts.json === true);
              } finally {
                await output.close({ failed });
                stopListening();
              }
            },
          ),
        ),
    );
  },
};

function report(ctx: CliContext, outcome: RunOutcome, json: boolean): number {
  if (json) {
    ctx.print(JSON.stringify({ type: 'outcome', ...outcome }));
    return exitCodeFor(outcome);
  }
  switch (outcome.status) {
    case 'checks-failed':
      ctx.print(renderChecks(outcome.checks));
      ctx.print('\nThe migration did not start: fix the Failed items above and run again.');
      break;
    case 'completed':
      for (const v of outcome.verify) ctx.print(v.lines.join('\n'));
      ctx.print(`\ntask ${outcome.state.task} completed`);
      ctx.print(JSON.stringify(outcome.state.summary, null, 2));
      break;
    case 'verify-failed':
      for (const v of outcome.verify) ctx.print(v.lines.join('\n'));
      ctx.print(
        '\nverify found differences between source and target (listed above). If the source was still being written, ' +
          'stop the writes and finish again; if something wrote to the target outside pgshift, the target must be ' +
          'repaired or the task cancelled and started again. The replication slots are kept.',
      );
      break;
    case 'cancelled':
      ctx.print(`task ${outcome.state.task} cancelled; its replication slots and publications are dropped.`);
      for (const line of outcome.cleanupAdvice) ctx.print(`- ${line}`);
      break;
    case 'interrupted':
      ctx.print(
        `task ${outcome.state.task} stopped at stage ${outcome.state.stage}; run the same command to resume.`,
      );
      break;
  }
  return exitCodeFor(outcome);
}

function exitCodeFor(outcome: RunOutcome): number {
  switch (outcome.status) {
    case 'completed':
    case 'cancelled':
      return 0;
    case 'interrupted':
      return 130;
    default:
      return 1;
  }
}
