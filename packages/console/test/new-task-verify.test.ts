import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, tempDir } from '../../cli/test/run-cli.js';
import { endpointFields, formApp, PASSWORD, post, sideFieldsets } from './form-support.js';

describe('console: new task form, import, export and verification', () => {
  let source: SandboxServer;
  let target: SandboxServer;
  const dir = tempDir();
  const storeDir = join(dir.dir, 'store');
  const stateDir = join(dir.dir, 'console');
  const { app, store } = formApp(storeDir, stateDir);
  // Every body the console sent: none may hold the password.
  const bodies: string[] = [];
  const read = async (response: Response) => {
    const text = await response.text();
    bodies.push(text);
    return text;
  };
  const cliTasks = async () => {
    const listed = await runCli(['task', 'list', '--json', '--store', storeDir]);
    expect(listed.code, listed.stderr).toBe(0);
    return JSON.parse(listed.stdout) as { name: string; status: string }[];
  };
  const verifyPage = async (name: string) => {
    // The checks run in the background: follow the page until they end, as its script does.
    for (let i = 0; i < 600; i++) {
      const page = await read(await app.request(`/tasks/${name}/verify`));
      if (!page.includes('data-status="checking"')) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`checks of ${name} never ended`);
  };
  const row = (page: string, id: string) =>
    /<tr data-check="([^"]+)" data-result="(\w+)">[\s\S]*?<\/tr>/g.exec(
      page.slice(page.indexOf(`<tr data-check="${id}"`)),
    )?.[0] ?? '';
  const startButton = (page: string) => /<button type="submit"( disabled)?>Start<\/button>/.exec(page);

  beforeAll(async () => {
    [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    await source.query('CREATE DATABASE shop');
    await source.query('CREATE TABLE items (id int PRIMARY KEY, label text)', [], 'shop');
    await source.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g", [], 'shop');
    // The target already has the table: check-target-conflicts fails until it is dropped.
    await target.query('CREATE DATABASE shop');
    await target.query('CREATE TABLE items (id int PRIMARY KEY)', [], 'shop');
  });
  afterAll(async () => {
    await store.close();
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it('shows only the chosen access mode’s fields, each with a label', async () => {
    const page = await read(await app.request('/tasks/new?source.access=public-ip&target.access=cvm'));
    const sourceSets = sideFieldsets(page, 'source');
    const shown = sourceSets.filter((f) => !f.hidden);
    expect(shown.map((f) => f.access)).toEqual(['public-ip']);
    expect(shown[0]?.names).toEqual(
      expect.arrayContaining([
        'source.host',
        'source.port',
        'source.user',
        'source.password',
        'source.tls.sslmode',
      ]),
    );
    expect(shown[0]?.names).not.toContain('source.instanceId');
    expect(sourceSets.find((f) => f.access === 'cvm')?.names).toContain('source.instanceId');
    expect(
      sideFieldsets(page, 'target')
        .filter((f) => !f.hidden)
        .map((f) => f.access),
    ).toEqual(['cvm']);
    expect(page).toMatch(
      /<input type="password" autocomplete="new-password" id="[^"]+" name="source.password"/,
    );
    for (const name of ['task.name', 'task.startAt', 'mode', 'objects.databases', 'options.jobs'])
      expect(page).toContain(`name="${name}"`);
    expect(page).toMatch(/name="options.jobs"[^>]*placeholder="4"/);
    // Every control has a visible label pointing at it.
    for (const [, id] of page.matchAll(/<(?:input|select|textarea) [^>]*\bid="([^"]+)"/g))
      expect(page).toContain(`<label for="${id}">`);
    expect(page).toContain('<button type="submit">Create task</button>');
    // A field required only inside an optional block (the SSH jump host's) must not stop a
    // browser's submit while the block is unused; the required ones outside it still do.
    expect(page).toMatch(
      /<input type="text" id="f-source-public-ip-source-via-ssh-host" name="source.via.ssh.host" aria/,
    );
    expect(page).toMatch(/id="f-source-public-ip-source-host" name="source.host" required/);
  });

  it('names the field of a validation error and keeps the entries, but not the password', async () => {
    const response = await post(app, '/tasks/new', {
      'task.name': 'Bad Name',
      ...endpointFields('source', source),
      ...endpointFields('target', target),
      'target.port': 'not-a-port',
      'objects.databases': 'shop',
      'options.jobs': '0',
    });
    expect(response.status).toBe(422);
    const page = await read(response);
    expect(page).toContain('task.name: must start with a lower-case letter');
    expect(page).toMatch(/data-error-for="options.jobs">must be an integer between 1 and 64/);
    expect(page).toMatch(/data-error-for="target.port">must be an integer/);
    expect(page).toMatch(new RegExp(`name="source.host"[^>]*value="${source.host}"`));
    expect(page).toContain('value="Bad Name"');
    expect(await cliTasks()).toEqual([]);
  });

  it('creates the task the CLI sees, stores the password as the CLI does, exports without it', async () => {
    const response = await post(app, '/tasks/new', {
      'task.name': 'shop-move',
      mode: 'full',
      ...endpointFields('source', source),
      ...endpointFields('target', target),
      'objects.databases': 'shop',
      'options.jobs': '2',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/tasks/shop-move/verify');
    expect(await cliTasks()).toEqual([expect.objectContaining({ name: 'shop-move', status: 'created' })]);

    const file = join(stateDir, 'configs', 'shop-move.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, 'configs')).mode & 0o777).toBe(0o700);
    const record = await store.get('shop-move');
    const stored = parse(record?.config.text ?? '') as Record<string, Record<string, unknown>>;
    expect(stored.source?.password).toBe(PASSWORD);
    expect(stored.options).toEqual({ jobs: 2 });

    const exported = await read(await app.request('/tasks/shop-move/config.yaml'));
    expect(exported).toContain('password: { env: PGSHIFT_SOURCE_PASSWORD } # secret not exported');
    const back = parse(exported) as Record<string, Record<string, unknown>>;
    expect(back.target?.password).toEqual({ env: 'PGSHIFT_TARGET_PASSWORD' });
    expect(back.target?.host).toBe(target.host);
  });

  it('shows a Failed check with its remedy and refuses Start until the target is fixed', async () => {
    const rerun = await post(app, '/tasks/shop-move/check', {});
    expect(rerun.status).toBe(303);
    let page = await verifyPage('shop-move');
    expect(page).toContain('<h1>Verification of shop-move</h1>');
    const conflict = row(page, 'target.conflicts');
    expect(conflict).toContain('data-result="failed"');
    expect(conflict).toContain('<td data-field="result">Failed</td>');
    expect(conflict).toContain('DROP TABLE &quot;public&quot;.&quot;items&quot; CASCADE;');
    expect(startButton(page)?.[1]).toBe(' disabled');
    const refused = await post(app, '/tasks/shop-move/start', {});
    expect(refused.status).toBe(409);
    expect(await read(refused)).toContain('task shop-move did not start: fix the Failed items above');
    expect((await cliTasks())[0]?.status).toBe('check-failed');

    await target.query('DROP TABLE items', [], 'shop');
    expect((await post(app, '/tasks/shop-move/check', {})).status).toBe(303);
    page = await verifyPage('shop-move');
    expect(row(page, 'target.conflicts')).toContain('data-result="pass"');
    expect(page).not.toContain('data-result="failed"');
    expect(startButton(page)?.[1]).toBeUndefined();

    const started = await post(app, '/tasks/shop-move/start', {});
    expect(started.status, await read(started)).toBe(303);
    expect((await cliTasks())[0]?.status).toBe('queued');
    // Queued: the kernel refuses a second start, in the CLI's words, shown on the page.
    const again = await post(app, '/tasks/shop-move/start', {});
    expect(again.status).toBe(409);
    expect(await read(again)).toContain('task shop-move is already queued');
  });

  it('imports a YAML config, and shows a refused one again without its secrets', async () => {
    const yaml = (name: string, port: number | string) =>
      `task:\n  name: ${name}\nsource:\n  access: public-ip\n  host: ${source.host}\n  port: ${port}\n` +
      `  user: ${source.user}\n  password: ${PASSWORD}\ntarget:\n  access: public-ip\n  host: ${target.host}\n` +
      `  port: ${target.port}\n  user: ${target.user}\n  password: ${PASSWORD}\nobjects:\n  databases: [shop]\nmode: full\n`;
    const refused = await post(app, '/tasks/import', { yaml: yaml('imported', '"nope"') });
    expect(refused.status).toBe(422);
    const page = await read(refused);
    expect(page).toContain('source.port: must be an integer');
    expect(page).toContain('password: { env: PGSHIFT_SOURCE_PASSWORD }');

    const imported = await post(app, '/tasks/import', { yaml: yaml('imported', source.port) });
    expect(imported.status).toBe(303);
    expect(imported.headers.get('location')).toBe('/tasks/imported/verify');
    expect((await cliTasks()).map((t) => t.name).sort()).toEqual(['imported', 'shop-move']);
    await read(await app.request('/tasks/imported/config.yaml'));
    await read(await app.request('/tasks/imported/verify'));
  });

  it('never sent the password', () => {
    expect(bodies.length).toBeGreaterThan(8);
    for (const body of bodies) expect(body).not.toContain(PASSWORD);
  });
});
