import { setTimeout as sleep } from 'node:timers/promises';
import { checkTask, type LoadTaskOptions, type OriginOption, startTask } from '@pgshift/kernel';
import type { TaskRecord } from '@pgshift/tasks';
import type { Context } from 'hono';
import { parse } from 'yaml';
import type { ConsoleDeps, ConsoleEnv, RouteModule } from '../console-app.js';
import { type ErrorView, errorView } from '../error-view.js';
import { inlineSecretsRedactor } from '../new-task/config-secrets.js';
import { installedPlugins } from '../new-task/installed-plugins.js';
import { renderVerify } from '../verify/render-verify.js';
import { checksFailedRefusal, startRefusal } from '../verify/start-rules.js';
import { taskNotFound } from './not-found.js';

/** Masks the secrets written in the task's config: check messages and errors never show them. */
async function maskFor(record: TaskRecord): Promise<(text: string) => string> {
  let config: unknown;
  try {
    config = parse(record.config.text);
  } catch {
    config = undefined;
  }
  const redactor = inlineSecretsRedactor(config, await installedPlugins(process.cwd()));
  return (text) => redactor.redact(text);
}

async function page(c: Context<ConsoleEnv>, record: TaskRecord, error?: ErrorView) {
  const view = { record, mask: await maskFor(record), ...(error ? { error } : {}) };
  return c.html(renderVerify(c.get('session'), view), error ? 409 : 200);
}

/** The kernel's options, with who asked: the task history records the session's origin. */
function options(deps: ConsoleDeps, origin: string): LoadTaskOptions & OriginOption {
  return { ...deps.loadOptions(), origin };
}

const verifyPath = (name: string) => `/tasks/${encodeURIComponent(name)}/verify`;

/**
 * Runs the checks in the background and returns once the store shows them running (or the
 * kernel refused): the page then shows `checking` and follows the record until they end.
 */
async function startChecks(deps: ConsoleDeps, before: TaskRecord, origin: string): Promise<unknown> {
  let refused: unknown;
  let settled = false;
  checkTask(deps.store, before.name, options(deps, origin)).then(
    () => {
      settled = true;
    },
    (error: unknown) => {
      // Errors after the checks began are recorded on the task (check-failed, its error).
      refused = error;
      settled = true;
    },
  );
  for (let i = 0; i < 200 && !settled; i++) {
    const now = await deps.store.get(before.name);
    if (now && now.history.length > before.history.length) return undefined;
    await sleep(25);
  }
  const now = await deps.store.get(before.name);
  return now && now.history.length > before.history.length ? undefined : refused;
}

/** `/tasks/NAME/verify` with "Re-run checks" (POST `/check`) and "Start" (POST `/start`). */
export const verifyRoutes: RouteModule = (app, deps) => {
  app.get('/tasks/:name/verify', async (c) => {
    const record = await deps.store.get(c.req.param('name'));
    return record ? page(c, record) : taskNotFound(c, c.req.param('name'));
  });

  app.post('/tasks/:name/check', async (c) => {
    const name = c.req.param('name');
    const before = await deps.store.get(name);
    if (!before) return taskNotFound(c, name);
    const refused = await startChecks(deps, before, c.get('session').origin);
    const now = (await deps.store.get(name)) ?? before;
    if (refused) return page(c, now, errorView(refused, await maskFor(now)));
    return c.redirect(verifyPath(name), 303);
  });

  app.post('/tasks/:name/start', async (c) => {
    const name = c.req.param('name');
    const record = await deps.store.get(name);
    if (!record) return taskNotFound(c, name);
    const refusal = startRefusal(record);
    // The same rule as the disabled button; the kernel words its own refusals.
    if (refusal && refusal !== 'kernel') return page(c, record, refusal);
    try {
      const started = await startTask(deps.store, name, options(deps, c.get('session').origin));
      if (started.record.status === 'check-failed') return page(c, started.record, checksFailedRefusal(name));
      return c.redirect(`/tasks/${encodeURIComponent(name)}`, 303);
    } catch (error) {
      const now = (await deps.store.get(name)) ?? record;
      return page(c, now, errorView(error, await maskFor(now)));
    }
  });
};
