import type { Context } from 'hono';
import { parse, parseDocument, stringify } from 'yaml';
import type { ConsoleDeps, ConsoleEnv, RouteModule } from '../console-app.js';
import { exportConfig } from '../new-task/config-export.js';
import { inlineSecretsRedactor } from '../new-task/config-secrets.js';
import { createFromConfig } from '../new-task/create-from-config.js';
import { readForm } from '../new-task/form-values.js';
import { installedPlugins } from '../new-task/installed-plugins.js';
import { defaultAccess, type Side, submittedFields } from '../new-task/new-task-form.js';
import { renderImport } from '../new-task/render-import.js';
import { renderNewTask } from '../new-task/render-new-task.js';
import { taskNotFound } from './not-found.js';

// First-party plugins are found from the directory the console runs in, as the CLI finds them.
const plugins = () => installedPlugins(process.cwd());

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function chosenAccess(read: (key: string) => string, fallback: string): Record<Side, string> {
  return { source: read('source.access') || fallback, target: read('target.access') || fallback };
}

const verifyPath = (name: string) => `/tasks/${encodeURIComponent(name)}/verify`;

/** New task (`/tasks/new`), import (`/tasks/import`) and export (`/tasks/NAME/config.yaml`). */
export const newTaskRoutes: RouteModule = (app, deps) => {
  app.get('/tasks/new', async (c) => {
    const { connectors } = await plugins();
    const access = chosenAccess((k) => text(c.req.query(k)), defaultAccess(connectors) ?? '');
    return c.html(renderNewTask(c.get('session'), { connectors, access, values: {}, problems: [] }));
  });
  app.post('/tasks/new', async (c) => {
    const installed = await plugins();
    const body = await c.req.parseBody();
    const access = chosenAccess((k) => text(body[k]), '');
    const form = readForm(body, submittedFields(installed.connectors, access), access);
    const view = { connectors: installed.connectors, access, values: form.values, problems: [] };
    // Without the script, "Show the fields" comes here to switch the access mode: nothing is checked.
    if (body._step === 'access') return c.html(renderNewTask(c.get('session'), view));
    const outcome = await createFromConfig(deps, stringify(form.config), {
      origin: c.get('session').origin,
      redactor: inlineSecretsRedactor(form.config, installed, form.secrets),
    });
    if (outcome.ok) return c.redirect(verifyPath(outcome.record.name), 303);
    return c.html(renderNewTask(c.get('session'), { ...view, ...outcome }), 422);
  });

  app.get('/tasks/import', (c) => c.html(renderImport(c.get('session'), { yaml: '', problems: [] })));

  app.post('/tasks/import', async (c) => importTask(c, deps));

  app.get('/tasks/:name/config.yaml', async (c) => {
    const name = c.req.param('name');
    const record = await deps.store.get(name);
    if (!record) return taskNotFound(c, name);
    const yaml = exportConfig(record.config.text, await plugins());
    return c.body(yaml, 200, {
      'content-type': 'application/yaml; charset=utf-8',
      'content-disposition': `attachment; filename="${record.name}.yaml"`,
      'cache-control': 'no-store',
    });
  });
};

async function importTask(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const installed = await plugins();
  const yaml = text((await c.req.parseBody()).yaml);
  let config: unknown;
  try {
    config = parse(yaml);
  } catch {
    config = undefined; // createTask reports the YAML error with its line
  }
  const outcome = await createFromConfig(deps, yaml, {
    origin: c.get('session').origin,
    redactor: inlineSecretsRedactor(config, installed),
  });
  if (outcome.ok) return c.redirect(verifyPath(outcome.record.name), 303);
  // Shown again only with its secrets replaced; text that does not parse cannot be stripped of them.
  const readable = parseDocument(yaml).errors.length === 0;
  return c.html(
    renderImport(c.get('session'), {
      ...outcome,
      yaml: readable ? exportConfig(yaml, installed) : '',
      ...(readable
        ? {}
        : {
            note: 'The text is not shown again: it is not valid YAML and may hold secrets. Paste it again, fixed.',
          }),
    }),
    422,
  );
}
