import { type CheckReport, runChecks } from '@pgshift/kernel';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadForCommand } from '../load.js';
import { table } from '../table.js';

const STATUS_WORDS = { pass: 'PASS', warning: 'WARNING', failed: 'FAILED' } as const;

/** `pgshift check -c FILE`: runs the prechecks; exit 0 when nothing Failed, 1 otherwise. */
export const checkCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('check')
        .description('run the prechecks of a task against its source and target (Pass / Warning / Failed)')
        .requiredOption('-c, --config <file>', 'task config file')
        .option('--json', 'print JSON')
        .action(
          run(async (ctx, globals, opts: { config: string; json?: boolean }) => {
            const task = await loadForCommand(ctx, globals, opts.config);
            let report: CheckReport;
            try {
              report = await runChecks(task);
            } finally {
              await task.close();
            }
            if (opts.json) ctx.print(JSON.stringify(report, null, 2));
            else ctx.print(render(report));
            return report.ok ? 0 : 1;
          }),
        ),
    );
  },
};

export function render(report: CheckReport): string {
  const rows: string[][] = [];
  for (const item of report.items) {
    rows.push([STATUS_WORDS[item.status], item.id, item.message]);
    if (item.remedy && item.status !== 'pass') {
      const [first, ...rest] = item.remedy.split('\n');
      rows.push(['', '', `remedy: ${first}`]);
      for (const line of rest) rows.push(['', '', `        ${line}`]);
    }
  }
  const { pass, warning, failed, total } = report.summary;
  const verdict = report.ok ? 'the migration may start' : 'Failed items block the migration';
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${table(['STATUS', 'ID', 'MESSAGE'], rows)}\n\n${n(total, 'check')}: ${pass} passed, ${n(warning, 'warning')}, ${failed} failed — ${verdict}`;
}
