import {
  type CheckReport,
  checksStoppedStart,
  checkTask,
  createTask,
  formatBytes,
  type LoadTaskOptions,
  progressOf,
  Redactor,
  startTask,
  taskDetail,
  taskSummary,
} from '@pgshift/kernel';
import {
  changeTaskLimits,
  limitsLine,
  openTaskStore,
  requestControl,
  storeSecret,
  type TaskRecord,
  type TaskStore,
  waitForStatus,
} from '@pgshift/tasks';
import { Command } from 'commander';
import { cliOrigin } from '../cli-origin.js';
import type { ActionRunner, CliCommand } from '../command.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { errorLines } from '../display/error-lines.js';
import { reconnectingLine } from '../display/reconnecting-line.js';
import { schemaChangesLine } from '../display/schema-changes-line.js';
import { table } from '../table.js';
import { render as renderChecks } from './check.js';
import { CONTROL_DESCRIPTIONS, CONTROL_WAIT_MS, withControlOptions } from './control-request.js';
import { changedLine, type LimitOptions, limitsChange, withLimitOptions } from './limit-options.js';

export const STORE_HELP =
  'task store: a directory, or postgres://... (default $PGSHIFT_STORE or ./.pgshift-tasks)';

/** Opens the store named by --store; its password joins the redactors, so no message shows it. */
export function openStoreFor(ctx: CliContext, spec: string | undefined, worker = false): TaskStore {
  const secret = storeSecret(spec);
  if (secret) {
    const redactor = new Redactor();
    redactor.add(secret);
    ctx.redactors.push(redactor);
  }
  return openTaskStore(spec, { worker });
}

/** Loading options for a stored task's config: messages masked like the other commands'. */
export function loadOptionsFor(ctx: CliContext, globals: GlobalOptions): LoadTaskOptions {
  const redactor = new Redactor();
  ctx.redactors.push(redactor);
  return {
    redactor,
    ...(globals.verbose ? { verbose: true } : {}),
    ...(globals.logLevel ? { logLevel: globals.logLevel } : {}),
    logDestination: ctx.stderr,
  };
}

async function withStore<T>(
  ctx: CliContext,
  spec: string | undefined,
  body: (store: TaskStore) => Promise<T>,
) {
  const store = openStoreFor(ctx, spec);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

type StoreOpts = { store?: string; json?: boolean };

function sub(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .option('--store <store>', STORE_HELP)
    .option('--json', 'print JSON');
}

/**
 * A `task <verb> <name>` command: the store is opened for the handler and closed after it; the
 * handler's number is the exit code.
 */
function namedTaskCommand<O extends StoreOpts>(
  run: ActionRunner,
  command: Command,
  handler: (
    ctx: CliContext,
    globals: GlobalOptions,
    store: TaskStore,
    name: string,
    opts: O,
  ) => Promise<number>,
): Command {
  return command
    .argument('<name>', 'task name')
    .action(
      run(async (ctx, globals, name: string, opts: O) =>
        withStore(ctx, opts.store, (store) => handler(ctx, globals, store, name, opts)),
      ),
    );
}

function checksAsReport(record: TaskRecord): CheckReport | undefined {
  return record.checks ? ({ ...record.checks, versions: {} } as CheckReport) : undefined;
}

function renderShow(record: TaskRecord): string {
  const p = progressOf(record);
  const lines = [
    `task:     ${record.name} (${record.mode})`,
    `status:   ${record.status}${record.stage ? `, stage ${record.stage}` : ''}`,
    `created:  ${record.createdAt}${record.startAt ? `   start at: ${record.startAt}` : ''}${record.dueAt ? `   due: ${record.dueAt}` : ''}`,
  ];
  if (record.worker) lines.push(`worker:   ${record.worker.id} (heartbeat ${record.worker.heartbeatAt})`);
  if (record.run?.reconnecting && record.worker) lines.push(reconnectingLine(record.run.reconnecting));
  if (p.percent !== undefined) lines.push(`progress: ${p.percent.toFixed(1)}%`);
  if (p.copy) {
    lines.push(
      `copied:   ${p.copy.rows} rows, ${formatBytes(p.copy.bytes)} of ${formatBytes(p.copy.totalBytes)}, ` +
        `${p.copy.tablesDone}/${p.copy.tablesTotal} tables`,
    );
  } else if (p.copied) lines.push(`copied:   ${p.copied.rows} rows, ${formatBytes(p.copied.bytes)}`);
  if (p.etaSeconds !== undefined) lines.push(`eta:      ${Math.ceil(p.etaSeconds)}s`);
  const limits = limitsLine(record);
  if (limits) lines.push(`limits:   ${limits}`);
  for (const [name, db] of Object.entries(record.run?.databases ?? {})) {
    if (db.sequencesSyncedAt)
      lines.push(`sequences: ${name} synced at ${db.sequencesSyncedAt} (${db.sequencesAdvanced ?? 0} moved)`);
    if (db.schemaChanges) lines.push(schemaChangesLine(name, db.schemaChanges));
  }
  const dbs = Object.entries(p.databases ?? {});
  if (dbs.length > 0) {
    lines.push(
      '',
      table(
        ['DATABASE', 'APPLIED LSN', 'LAG', 'LAG TIME', 'APPLY RATE'],
        dbs.map(([name, f]) => [
          name,
          f.appliedLsn ?? '-',
          f.lagBytes === undefined ? '-' : formatBytes(Number(f.lagBytes)),
          f.lagSeconds === undefined ? '-' : `${f.lagSeconds.toFixed(1)}s`,
          f.applyRate === undefined ? '-' : `${f.applyRate.toFixed(0)} tx/s`,
        ]),
      ),
    );
  }
  const report = checksAsReport(record);
  if (report) lines.push('', `checks (${record.checks?.at}):`, renderChecks(report));
  if (record.control) lines.push('', `requested: ${record.control.request} at ${record.control.at}`);
  // The run's own record of its error says more (remedy, where) than the worker's summary of it.
  const error = record.status === 'failed' ? (record.run?.error ?? record.error) : record.error;
  if (error) lines.push('', ...errorLines(error));
  if (record.cleanupAdvice) lines.push('', ...record.cleanupAdvice.map((l) => `- ${l}`));
  lines.push(
    '',
    table(
      ['AT', 'STATUS', 'STAGE', 'NOTE', 'ORIGIN'],
      record.history.map((h) => [h.at, h.status, h.stage ?? '', h.note ?? '', h.origin ?? '']),
    ),
  );
  return lines.join('\n');
}

function register(program: Command, run: ActionRunner) {
  const task = new Command('task').description(
    'manage migration tasks kept in a task store, run by `pgshift worker`',
  );

  task.addCommand(
    sub('create', 'record a new task from a config file (validated, plugins loaded)')
      .requiredOption('-c, --config <file>', 'task config file')
      .action(
        run(async (ctx, globals, opts: StoreOpts & { config: string }) =>
          withStore(ctx, opts.store, async (store) => {
            const record = await createTask(store, opts.config, {
              ...loadOptionsFor(ctx, globals),
              origin: cliOrigin(),
            });
            // The record holds the config text (which may hold inline secrets): print its summary only.
            if (opts.json) ctx.print(JSON.stringify(taskSummary(record), null, 2));
            else
              ctx.print(
                `task ${record.name} created in ${store.description}; next: pgshift task start ${record.name}`,
              );
            return 0;
          }),
        ),
      ),
  );

  task.addCommand(
    sub('list', 'list the tasks with their status and stage').action(
      run(async (ctx, _globals, opts: StoreOpts) =>
        withStore(ctx, opts.store, async (store) => {
          const records = await store.list();
          if (opts.json) {
            ctx.print(JSON.stringify(records.map(taskSummary), null, 2));
            return 0;
          }
          ctx.print(
            table(
              ['NAME', 'STATUS', 'STAGE', 'MODE', 'DUE', 'PROGRESS'],
              records.map((r) => {
                const p = progressOf(r).percent;
                return [
                  r.name,
                  r.status,
                  r.stage ?? '-',
                  r.mode,
                  r.dueAt ?? '-',
                  p === undefined ? '-' : `${p.toFixed(0)}%`,
                ];
              }),
            ),
          );
          return 0;
        }),
      ),
    ),
  );

  task.addCommand(
    namedTaskCommand(
      run,
      sub('show', 'show a task: status, stage, progress, rows and bytes, lag, ETA, check results, history'),
      async (ctx, _globals, store, name, opts: StoreOpts) => {
        const record = await store.update(name, () => false);
        if (opts.json) {
          ctx.print(JSON.stringify(taskDetail(record), null, 2));
        } else ctx.print(renderShow(record));
        return 0;
      },
    ),
  );

  task.addCommand(
    namedTaskCommand(
      run,
      sub('check', 'run the checks of a task against its source and target'),
      async (ctx, globals, store, name, opts: StoreOpts) => {
        const { record, report } = await checkTask(store, name, {
          ...loadOptionsFor(ctx, globals),
          origin: cliOrigin(),
        });
        if (opts.json) ctx.print(JSON.stringify({ status: record.status, checks: record.checks }, null, 2));
        else ctx.print(renderChecks(report));
        return report.ok ? 0 : 1;
      },
    ),
  );

  task.addCommand(
    namedTaskCommand(
      run,
      sub('start', 'check a task and queue it (scheduled when its start time lies ahead)').option(
        '--ddl-applied <database:id...>',
        'schema changes you applied to the target by hand after sync stopped before them (as the stop names them)',
      ),
      async (ctx, globals, store, name, opts: StoreOpts & { ddlApplied?: string[] }) => {
        const { record, report } = await startTask(store, name, {
          ...loadOptionsFor(ctx, globals),
          origin: cliOrigin(),
          ...(opts.ddlApplied ? { ddlAppliedByHand: opts.ddlApplied } : {}),
        });
        if (opts.json) {
          ctx.print(
            JSON.stringify({ status: record.status, dueAt: record.dueAt, checks: record.checks }, null, 2),
          );
        } else {
          if (report) ctx.print(renderChecks(report));
          ctx.print(
            record.status === 'check-failed'
              ? `\n${checksStoppedStart(name)}`
              : `\ntask ${name} is ${record.status}${record.status === 'scheduled' ? ` until ${record.dueAt}` : ''}; a worker ("pgshift worker") runs it`,
          );
        }
        return record.status === 'check-failed' ? 1 : 0;
      },
    ),
  );

  task.addCommand(
    namedTaskCommand(
      run,
      withLimitOptions(
        sub('set', "change a task's rate limits, also while it runs: rows/s and MB/s of copy and apply"),
      ),
      async (ctx, _globals, store, name, opts: StoreOpts & LimitOptions) => {
        const change = limitsChange(opts);
        const record = await changeTaskLimits(store, name, change, { origin: cliOrigin() });
        if (opts.json)
          ctx.print(JSON.stringify({ name, limits: record.limits, inForce: record.run?.limits }, null, 2));
        else
          ctx.print(
            changedLine(
              change,
              record.run?.limits,
              record.status === 'running' || record.status === 'finishing',
            ),
          );
        return 0;
      },
    ),
  );

  for (const request of ['finish', 'cancel'] as const) {
    const wanted =
      request === 'finish' ? ['completed', 'failed', 'cancelled'] : ['cancelled', 'failed', 'completed'];
    task.addCommand(
      namedTaskCommand(
        run,
        withControlOptions(sub(request, CONTROL_DESCRIPTIONS[request]), request),
        async (ctx, _globals, store, name, opts: StoreOpts & { wait: boolean; keepState?: boolean }) => {
          const { record: requested, immediate } = await requestControl(store, name, request, {
            keepState: opts.keepState === true,
            origin: cliOrigin(),
          });
          const record =
            immediate || !opts.wait
              ? requested
              : ((await waitForStatus(store, name, wanted, { timeoutMs: CONTROL_WAIT_MS })) ?? requested);
          if (opts.json) ctx.print(JSON.stringify(taskSummary(record), null, 2));
          else if (!immediate && !opts.wait)
            ctx.print(`${request} requested; follow it with "pgshift task show ${name}"`);
          else {
            ctx.print(`task ${name}: ${record.status}${record.stage ? ` (stage ${record.stage})` : ''}`);
            for (const line of record.cleanupAdvice ?? []) ctx.print(`- ${line}`);
          }
          if (!opts.wait && !immediate) return 0;
          return record.status === (request === 'finish' ? 'completed' : 'cancelled') ? 0 : 1;
        },
      ),
    );
  }
  program.addCommand(task);
}

/** `pgshift task create|list|show|check|start|finish|cancel`. */
export const taskCommand: CliCommand = { register };
