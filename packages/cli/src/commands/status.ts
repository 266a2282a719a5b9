import { formatBytes, readTaskStatus, type TaskStatusReport } from '@pgshift/kernel';
import { describeLimits } from '@pgshift/tasks';
import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { errorLines } from '../display/error-lines.js';
import { reconnectingLine } from '../display/reconnecting-line.js';
import { schemaChangesLine } from '../display/schema-changes-line.js';
import { loadForCommand } from '../load.js';
import { table } from '../table.js';

/** `pgshift status -c FILE`: the task's stage, per database the applied LSN, lag and apply rate. */
export const statusCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('status')
        .description('show where a task stands: stage, applied LSN, lag and apply rate')
        .requiredOption('-c, --config <file>', 'task config file')
        .option('--json', 'print JSON')
        .action(
          run(async (ctx, globals, opts: { config: string; json?: boolean }) => {
            const task = await loadForCommand(ctx, globals, opts.config);
            const status = readTaskStatus(task.config.options.stateDir);
            await task.close();
            if (opts.json) {
              ctx.print(JSON.stringify(status, null, 2));
              return status.state ? 0 : 1;
            }
            if (!status.state) {
              ctx.print(`task ${task.config.task.name} has not run yet`);
              return 1;
            }
            ctx.print(render(status));
            return 0;
          }),
        ),
    );
  },
};

function render({ state, live, runningPid }: TaskStatusReport): string {
  if (!state) return '';
  const lines = [
    `task:    ${state.task} (${state.mode})`,
    `status:  ${state.status}, stage ${state.stage}${runningPid ? ` — running as process ${runningPid}` : ' — no process is running it'}`,
    `started: ${state.startedAt}   updated: ${state.updatedAt}`,
  ];
  if (state.limits) lines.push(`limits:  ${describeLimits(state.limits)}`);
  // Only while a process runs the task: a run that ended has no connection to wait for.
  if (state.reconnecting && runningPid) lines.push(reconnectingLine(state.reconnecting));
  const rows = Object.entries(state.databases).map(([name, db]) => {
    const figures = live?.databases[name] ?? {};
    return [
      name,
      db.phase,
      figures.appliedLsn ?? '-',
      figures.lagBytes === undefined ? '-' : formatBytes(Number(figures.lagBytes)),
      figures.lagSeconds === undefined ? '-' : `${figures.lagSeconds.toFixed(1)}s`,
      figures.applyRate === undefined ? '-' : `${figures.applyRate.toFixed(0)} tx/s`,
      db.copy ? `${db.copy.rows} rows` : '-',
      db.sequencesSyncedAt ? `${db.sequencesSyncedAt} (${db.sequencesAdvanced ?? 0} moved)` : '-',
    ];
  });
  if (rows.length > 0) {
    lines.push(
      '',
      table(
        ['DATABASE', 'PHASE', 'APPLIED LSN', 'LAG', 'LAG TIME', 'APPLY RATE', 'COPIED', 'SEQUENCES SYNCED'],
        rows,
      ),
    );
  }
  for (const [name, db] of Object.entries(state.databases))
    if (db.schemaChanges) lines.push(schemaChangesLine(name, db.schemaChanges));
  const writes = Object.entries(live?.databases ?? {}).flatMap(([name, figures]) =>
    (figures.targetWrites ?? []).map((w) => [
      name,
      w.table,
      w.operation,
      String(w.writes),
      w.lastRole,
      w.lastAt,
    ]),
  );
  if (writes.length > 0)
    lines.push(
      '',
      'writes to the target by others than pgshift during sync (the target must not be written before finish):',
      table(['DATABASE', 'TABLE', 'OPERATION', 'STATEMENTS', 'LAST ROLE', 'LAST AT'], writes),
    );
  if (live && runningPid) lines.push('', `figures as of ${live.at}`);
  if (state.error) lines.push('', ...errorLines(state.error));
  return lines.join('\n');
}
