import {
  type LiveVerifyOutcome,
  liveVerifyOne,
  resolveSelection,
  type VerifyOutcome,
  verifyOne,
  verifyOptionsFor,
} from '@pgshift/kernel';
import { PgshiftError } from '@pgshift/plugin-api';
import { Command, InvalidArgumentError } from 'commander';
import type { CliCommand } from '../command.js';
import { stopOnInterrupt } from '../interrupts.js';
import { loadForCommand } from '../load.js';
import { noteRepairsInHistory } from './live-verify-note.js';

interface VerifyFlags {
  config: string;
  json?: boolean;
  live?: boolean;
  repair?: boolean;
  waitSeconds?: number;
  store?: string;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError('expected a number of seconds above 0');
  return seconds;
}

/**
 * `pgshift verify -c FILE`: compares schema, row counts, checksums and sequences; exit 1 on any
 * difference. With --live it compares the rows of a task that is following while sync runs, and
 * with --repair re-copies the rows that differ (exit 0 when every one was repaired).
 */
export const verifyCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('verify')
        .description(
          'compare source and target: schema objects, row counts, checksums by key range, sequences',
        )
        .requiredOption('-c, --config <file>', 'task config file')
        .option('--json', 'print JSON')
        .option(
          '--live',
          'while the task follows: compare the rows at aligned positions (the source in a snapshot at a known position, the target once sync applied past it), by table and key range',
        )
        .option('--repair', 'with --live: re-copy each row found different on the target, while sync runs')
        .option(
          '--wait-seconds <n>',
          'with --live: how long to wait for sync to apply up to a position of the source (default 300)',
          parseSeconds,
        )
        .option(
          '--store <store>',
          'with --repair: also note what was repaired in the history of the stored task of the same name (a directory, or postgres://...)',
        )
        .addHelpText(
          'after',
          '\nExit code: 0 when source and target match (with --repair: when every difference found was repaired), 1 otherwise.\nSee docs/verify.md.',
        )
        .action(
          run(async (ctx, globals, opts: VerifyFlags) => {
            for (const flag of ['repair', 'waitSeconds'] as const)
              if (opts[flag] !== undefined && !opts.live)
                throw new PgshiftError(
                  'PGSHIFT_USAGE',
                  `--${flag === 'repair' ? 'repair' : 'wait-seconds'} needs --live`,
                  {
                    remedy: 'run pgshift verify -c FILE --live --repair while the task follows',
                  },
                );
            if (opts.store !== undefined && !opts.repair)
              throw new PgshiftError('PGSHIFT_USAGE', '--store needs --live --repair', {
                remedy: 'run pgshift verify -c FILE --live --repair --store STORE while the task follows',
              });
            const task = await loadForCommand(ctx, globals, opts.config);
            const controller = new AbortController();
            const stopListening = opts.live
              ? stopOnInterrupt(ctx, controller, 'stopping live verify (its replication slot is dropped)...')
              : () => {};
            try {
              if (opts.live && task.config.mode !== 'full+incremental')
                throw new PgshiftError(
                  'PGSHIFT_USAGE',
                  `--live needs a task in mode full+incremental, not ${task.config.mode}`,
                  {
                    remedy: 'run pgshift verify -c FILE without --live',
                  },
                );
              const source = await task.openServer('source');
              const target = await task.openServer('target');
              const selection = await resolveSelection(source, task.config.objects);
              let ok = true;
              const outcomes: VerifyOutcome[] = [];
              const live: LiveVerifyOutcome[] = [];
              for (const database of selection.databases) {
                let outcome: VerifyOutcome;
                if (opts.live) {
                  const one = await liveVerifyOne(task, source, target, database, {
                    ...(opts.repair ? { repair: true } : {}),
                    ...(opts.waitSeconds === undefined ? {} : { waitSeconds: opts.waitSeconds }),
                    signal: controller.signal,
                  });
                  live.push(one);
                  outcome = one;
                } else outcome = await verifyOne(source, target, database, verifyOptionsFor(task.config));
                ok &&= outcome.ok;
                outcomes.push(outcome);
                if (!opts.json) ctx.print(outcome.lines.join('\n'));
              }
              if (opts.store !== undefined)
                await noteRepairsInHistory(ctx, opts.store, task.config.task.name, live);
              if (opts.json)
                ctx.print(JSON.stringify({ ok, databases: outcomes.map((o) => o.details) }, null, 2));
              else if (opts.live)
                ctx.print(ok ? '\nno differences left' : '\nsource and target differ (see above)');
              else ctx.print(ok ? '\nsource and target match' : '\nsource and target differ (see above)');
              return ok ? 0 : 1;
            } finally {
              stopListening();
              await task.close();
            }
          }),
        ),
    );
  },
};
