import {
  type CheckContext,
  type CheckResult,
  type CheckStatus,
  modeRefusedProblem,
  policyCovering,
  type ResolvedSelection,
  type ServerHandle,
  type ServerRole,
  type ServerVersion,
  uncoveredSourceProblem,
  type VersionCapabilities,
  type VersionPolicy,
} from '@pgshift/plugin-api';
import type { CheckerEntry, LoadedTask } from '../loaded-task.js';
import { carriesGlobals } from '../orchestrator/instance-globals.js';
import { settleDecoder } from '../orchestrator/settle-decoder.js';
import {
  checkerRunsIn,
  requireDeclaredCapabilities,
  requireDecoderCapability,
} from '../plugins/capability-rules.js';
import type { CheckReport, CheckSummary } from './check-report.js';
import { resolveSelection } from './resolve-selection.js';

// The report is runChecks' result: its callers take the type from here too.
export type { CheckReport, CheckSummary } from './check-report.js';

export interface RunChecksOptions {
  /** Time allowed to each checker; default the task's `options.checkTimeoutSeconds`. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const ORDER: Record<CheckStatus, number> = { failed: 0, warning: 1, pass: 2 };
const STATUSES = new Set<string>(['pass', 'warning', 'failed']);

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] || 'unknown error';
}

function failed(id: string, title: string, message: string, remedy?: string): CheckResult {
  return { id, title, status: 'failed', message, ...(remedy ? { remedy } : {}) };
}

async function connect(task: LoadedTask, role: ServerRole, items: CheckResult[]) {
  try {
    const server = await task.openServer(role);
    const version = await server.version();
    return { server, version };
  } catch (error) {
    const remedy = (error as { remedy?: string }).remedy;
    items.push(
      failed(
        `${role}.connection`,
        `Connect to the ${role}`,
        `cannot connect to the ${role}: ${reason(error)}`,
        remedy ??
          `check the ${role} block (host, port, user, password, database) and that the server accepts connections from this machine`,
      ),
    );
    return undefined;
  }
}

function policyItem(
  task: LoadedTask,
  version: ServerVersion,
  items: CheckResult[],
): { policy?: VersionPolicy; capabilities?: VersionCapabilities } {
  const policies = task.policies();
  const policy = policyCovering(policies, version.num);
  const title = 'Source version is supported';
  if (!policy) {
    const problem = uncoveredSourceProblem(version, policies);
    items.push(failed('source.version-policy', title, problem.message, problem.remedy));
    return {};
  }
  const capabilities = policy.capabilities(version.num);
  const refused = modeRefusedProblem(policy, version, capabilities, task.config.mode);
  if (refused) {
    items.push(failed('source.version-policy', title, refused.message, refused.remedy));
  } else {
    items.push({
      id: 'source.version-policy',
      title,
      status: 'pass',
      message: `PostgreSQL ${version.text} is covered by ${policy.name}`,
    });
  }
  return { policy, capabilities };
}

function normalise(entry: CheckerEntry, output: unknown): CheckResult[] {
  const list = Array.isArray(output) ? output : [output];
  return list.map((item) => {
    const r = item as Partial<CheckResult> | undefined;
    if (!r || typeof r.message !== 'string' || !STATUSES.has(String(r.status)))
      return failed(
        entry.checker.id,
        entry.checker.title,
        `checker ${entry.checker.id} (plugin ${entry.plugin}) returned a malformed result`,
        `report this to the author of ${entry.plugin}`,
      );
    return {
      ...r,
      id: typeof r.id === 'string' && r.id ? r.id : entry.checker.id,
      title: typeof r.title === 'string' && r.title ? r.title : entry.checker.title,
    } as CheckResult;
  });
}

async function runOne(entry: CheckerEntry, ctx: CheckContext, timeoutMs: number): Promise<CheckResult[]> {
  const { checker } = entry;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  ctx.signal?.addEventListener('abort', onAbort);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new Error(
          `did not finish within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    const output = await Promise.race([checker.run({ ...ctx, signal: controller.signal }), timeout]);
    return normalise(entry, output);
  } catch (error) {
    return [
      failed(
        checker.id,
        checker.title,
        `the check could not run: ${reason(error)}`,
        `fix the cause above and run the check again; if it persists, report it to the author of ${entry.plugin}`,
      ),
    ];
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}

function redactItem(task: LoadedTask, item: CheckResult): CheckResult {
  const r = (s: string) => task.redactor.redact(s);
  return {
    ...item,
    title: r(item.title),
    message: r(item.message),
    ...(item.remedy === undefined ? {} : { remedy: r(item.remedy) }),
    ...(item.details === undefined ? {} : { details: JSON.parse(r(JSON.stringify(item.details))) }),
  };
}

/**
 * Runs the prechecks of a loaded task: connects to both sides, picks the version policy for the
 * source, resolves the selection, then runs every applicable checker. Problems, including a
 * checker that throws or hangs, become Failed items; nothing here throws for a failed check.
 */
export async function runChecks(task: LoadedTask, options: RunChecksOptions = {}): Promise<CheckReport> {
  requireDeclaredCapabilities(task);
  const items: CheckResult[] = [];
  const versions: Partial<Record<ServerRole, ServerVersion>> = {};
  const source = await connect(task, 'source', items);
  const target = await connect(task, 'target', items);
  if (source) versions.source = source.version;
  if (target) versions.target = target.version;

  let policy: VersionPolicy | undefined;
  let capabilities: VersionCapabilities | undefined;
  let selection: ResolvedSelection | undefined;
  if (source) {
    ({ policy, capabilities } = policyItem(task, source.version, items));
    if (capabilities?.incremental && task.config.mode === 'full+incremental') {
      try {
        const settled = await settleDecoder(task.config.task.name, source.server, capabilities);
        capabilities = settled.capabilities;
        const item = items.find((i) => i.id === 'source.version-policy');
        if (item && settled.note) item.message = `${item.message}; ${settled.note}`;
      } catch (error) {
        items.push(
          failed(
            'source.version-policy',
            'Source version is supported',
            `could not find out which output plugin is installed on the source: ${reason(error)}`,
            'make sure the source accepts connections from this machine and run the check again',
          ),
        );
      }
      requireDecoderCapability(task, capabilities?.decoder);
    }
    try {
      selection = await resolveSelection(source.server, task.config.objects);
    } catch (error) {
      const remedy = (error as { remedy?: string }).remedy;
      items.push(failed('source.selection', 'Selected objects exist', reason(error), remedy));
    }
  }

  if (source && target && selection) {
    const timeoutMs = options.timeoutMs ?? Number(task.config.options.checkTimeoutSeconds ?? 60) * 1000;
    const base = {
      source: source.server as ServerHandle,
      target: target.server as ServerHandle,
      mode: task.config.mode,
      selection,
      carries: {
        owners: task.config.options.copyOwners,
        privileges: task.config.options.copyPrivileges,
        roles: carriesGlobals(task.config.options, selection),
      },
      ddl: {
        policy: task.config.options.ddl ?? 'replicate',
        defaulted: task.config.options.ddl === undefined,
      },
      ...(policy ? { policy } : {}),
      ...(capabilities ? { capabilities } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    for (const entry of task.checkers()) {
      const declaredBy = task.plugins.find((p) => p.definition.meta.name === entry.plugin)?.definition;
      if (!checkerRunsIn(declaredBy, task.config.mode)) continue;
      const ctx: CheckContext = {
        ...base,
        options: entry.options,
        logger: task.logger.child({ check: entry.checker.id }),
      };
      let applies = true;
      try {
        applies = entry.checker.appliesTo?.(ctx) ?? true;
      } catch (error) {
        items.push(
          failed(
            entry.checker.id,
            entry.checker.title,
            `the check could not decide whether it applies: ${reason(error)}`,
          ),
        );
        continue;
      }
      if (!applies) continue;
      task.logger.debug(`running check ${entry.checker.id}`, { plugin: entry.plugin });
      items.push(...(await runOne(entry, ctx, timeoutMs)));
    }
  }

  const sorted = items
    .map((item) => redactItem(task, item))
    .sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.id.localeCompare(b.id));
  const summary: CheckSummary = { pass: 0, warning: 0, failed: 0, total: sorted.length };
  for (const item of sorted) summary[item.status]++;
  return {
    items: sorted,
    summary,
    ok: summary.failed === 0,
    versions,
    ...(policy ? { policy: policy.name } : {}),
    ...(capabilities ? { capabilities } : {}),
    ...(selection ? { selection } : {}),
  };
}
