import { resolveSelection, verifyOne, verifyOptionsFor } from '@pgshift/kernel';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadForCommand } from '../load.js';

/** `pgshift verify -c FILE`: compares schema, row counts, checksums and sequences; exit 1 on any difference. */
export const verifyCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('verify')
        .description(
          'compare source and target: schema objects, row counts, checksums by key range, sequences',
        )
        .requiredOption('-c, --config <file>', 'task config file')
        .option('--json', 'print JSON')
        .action(
          run(async (ctx, globals, opts: { config: string; json?: boolean }) => {
            const task = await loadForCommand(ctx, globals, opts.config);
            try {
              const source = await task.openServer('source');
              const target = await task.openServer('target');
              const selection = await resolveSelection(source, task.config.objects);
              let ok = true;
              const outcomes = [];
              for (const database of selection.databases) {
                const outcome = await verifyOne(source, target, database, verifyOptionsFor(task.config));
                ok &&= outcome.ok;
                outcomes.push(outcome);
                if (!opts.json) ctx.print(outcome.lines.join('\n'));
              }
              if (opts.json)
                ctx.print(JSON.stringify({ ok, databases: outcomes.map((o) => o.details) }, null, 2));
              else ctx.print(ok ? '\nsource and target match' : '\nsource and target differ (see above)');
              return ok ? 0 : 1;
            } finally {
              await task.close();
            }
          }),
        ),
    );
  },
};
