// The console end to end, as a user drives it: Chromium against `pgshift console` and
// `pgshift worker` (real processes) over one file store, a PostgreSQL 15 source and a 17 target,
// both with passwords. Create a task in the form, see the target's conflict Failed with its
// remedy, fix the server, re-run the checks, start, watch the detail page change live, Finish,
// and find the target exact. At every step the console (list page, /api/tasks) and
// `pgshift task list` agree; no response ever holds a password; a POST without the CSRF token
// changes nothing.
import { join } from 'node:path';
import {
  type Browser,
  chromiumMissing,
  freePort,
  launchChromium,
  type Page,
  type SandboxServer,
  startPostgres,
} from '@pgshift/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { show } from '../tasks-support.js';
import {
  cliList,
  type Listed,
  listRows,
  recordEvents,
  SHOP,
  SHOP_TABLES,
  startWriter,
  until,
} from './console-browser-support.js';
import { type BackgroundRun, startCli, stopCli, tableFingerprints, tempDir } from './support.js';

const missing = chromiumMissing();
const TASK = 'shop-to-17';
const SOURCE_PASSWORD = 'Src-e2e-S3cret-pw';
const TARGET_PASSWORD = 'Tgt-e2e-S3cret-pw';
/** Page waits: generous, a loaded 2-CPU machine runs the copy and the worker alongside. */
const WAIT = { timeout: 120_000 };
/** Each step may wait several times. */
const STEP_MS = 300_000;

describe.skipIf(missing)(`console in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = tempDir();
  const store = join(dir.dir, 'store');
  let source: SandboxServer;
  let target: SandboxServer;
  let base = '';
  let consoleRun: BackgroundRun | undefined;
  let worker: BackgroundRun | undefined;
  let browser: Browser | undefined;
  let page: Page;
  /** A second tab on the task list, left open: its rows change only through live updates. */
  let listTab: Page;
  let events: ReturnType<typeof recordEvents> | undefined;
  let writer: ReturnType<typeof startWriter> | undefined;
  /** Every body the console sent: to the browser, to this test's API requests. */
  const bodies: { url: string; body: string }[] = [];

  const api = async (path: string, init?: RequestInit) => {
    const response = await fetch(new URL(path, base), init);
    const body = await response.text();
    bodies.push({ url: path, body });
    return { status: response.status, body };
  };

  /**
   * The list tab, GET /api/tasks and `pgshift task list --json` show the same tasks with the same
   * statuses, one of `allowed` (polled until they do: the tab follows the store within seconds).
   */
  async function agree(allowed: string[]): Promise<string> {
    return until(`console and CLI to agree on ${allowed.join('|')}`, async () => {
      const cli = await cliList(store);
      const fromApi = JSON.parse((await api('/api/tasks')).body) as Listed[];
      const rows = await listRows(listTab);
      const seen = { cli, api: fromApi.map((t) => [t.name, t.status]), rows };
      const names = (list: { name: string }[]) => list.map((t) => t.name).sort();
      const sameNames =
        JSON.stringify(names(cli)) === JSON.stringify(names(fromApi)) &&
        JSON.stringify(names(cli)) === JSON.stringify(names(rows));
      const agreed = cli.every((t) => {
        const other = fromApi.find((a) => a.name === t.name);
        const row = rows.find((r) => r.name === t.name);
        return (
          other?.status === t.status &&
          row?.status === t.status &&
          (row.cell === t.status || row.cell.startsWith(`${t.status} (`))
        );
      });
      const status = cli.find((t) => t.name === TASK)?.status;
      const value = sameNames && agreed && status && allowed.includes(status) ? status : undefined;
      return { value, seen };
    });
  }

  /** A mark on the document: still there later means the page was not reloaded meanwhile. */
  const markDocument = (tab: Page) =>
    tab.evaluate(() => {
      (globalThis as unknown as { pgshiftTestMark: boolean }).pgshiftTestMark = true;
    });
  const sameDocument = (tab: Page) =>
    tab.evaluate(() => (globalThis as unknown as { pgshiftTestMark?: boolean }).pgshiftTestMark === true);
  const liveText = async (field: string) =>
    (await page.locator(`[data-live="${field}"]`).textContent()) ?? '';
  /** Waits until the tab shows an element like this (the page's own live updates bring it). */
  const see = (
    selector: string,
    options: { hasText?: string | RegExp; state?: 'attached' | 'visible'; tab?: Page } = {},
  ) =>
    (options.tab ?? page)
      .locator(selector, options.hasText === undefined ? {} : { hasText: options.hasText })
      .first()
      .waitFor({ ...WAIT, state: options.state ?? 'visible' });

  beforeAll(async () => {
    [source, target] = await Promise.all([
      startPostgres({ major: 15, password: SOURCE_PASSWORD }),
      startPostgres({ major: 17, password: TARGET_PASSWORD }),
    ]);
    await source.query('CREATE DATABASE shop');
    await source.query(SHOP, [], 'shop');
    // Already on the target: the checks report target.conflicts Failed until it is dropped.
    await target.query('CREATE DATABASE shop');
    await target.query('CREATE TABLE customers (id bigint PRIMARY KEY)', [], 'shop');

    const listen = `127.0.0.1:${await freePort()}`;
    base = `http://${listen}`;
    // Its own state directory (where the configs it writes are kept), not the user's home.
    const env = { PGSHIFT_CONSOLE_DIR: join(dir.dir, 'console') };
    consoleRun = startCli(['console', '--store', store, '--listen', listen], env);
    await until('the console to answer', async () => {
      if (consoleRun?.child.exitCode !== null) throw new Error(`console exited:\n${consoleRun?.output()}`);
      const ok = (await fetch(base).catch(() => undefined))?.ok;
      return { value: ok || undefined, seen: consoleRun.output() };
    });
    events = recordEvents(base);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('response', (response) => {
      const url = response.url();
      // The event stream never ends, so its body never comes: recordEvents reads the same events.
      if (new URL(url).pathname === '/events') return;
      response.text().then(
        (body) => bodies.push({ url, body }),
        () => {},
      );
    });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    // No dialog is expected; one that appears (a confirm before Finish) is answered yes.
    page.on('dialog', (dialog) => void dialog.accept());
    listTab = await context.newPage();
    await listTab.goto(`${base}/`);
    await listTab.locator('table.tasks caption', { hasText: 'Tasks' }).waitFor(WAIT);
    await markDocument(listTab);
  });

  // The steps build on each other: after one fails, the rest would only time out.
  let broken = false;
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    broken = true;
    // What the browser and the processes showed, for a failure on a machine nobody watches.
    const main = await page
      ?.locator('main')
      .textContent({ timeout: 5000 })
      .catch(() => '');
    console.error(
      `--- page ${page?.url()}:\n${main}\n--- console:\n${consoleRun?.output()}\n--- worker:\n${worker?.output()}`,
    );
  });
  beforeEach((context) => {
    if (broken) context.skip();
  });

  afterAll(async () => {
    await writer?.stop();
    await events?.stop();
    await browser?.close();
    await Promise.all([stopCli(consoleRun), stopCli(worker)]);
    await Promise.all([source?.stop(), target?.stop()]);
    dir.cleanup();
  });

  it(
    'creates the task through the form, choosing each access mode first',
    async () => {
      await page.goto(`${base}/`);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New task' }).click();
      await see('main h1', { hasText: /^New task$/ });
      const fill = (name: string, value: string) => page.locator(`[name="${name}"]:visible`).fill(value);
      await fill('task.name', TASK);
      await page.locator('[name="mode"]').selectOption('full+incremental');
      for (const [side, server, password] of [
        ['source', source, SOURCE_PASSWORD],
        ['target', target, TARGET_PASSWORD],
      ] as const) {
        await page
          .locator(`section[data-side="${side}"]`)
          .getByLabel('Access mode')
          .selectOption('public-ip');
        // Only the chosen mode's fields are shown: `:visible` finds exactly one of each.
        await fill(`${side}.host`, server.host);
        await fill(`${side}.port`, String(server.port));
        await fill(`${side}.user`, server.user);
        await fill(`${side}.password`, password);
      }
      await fill('objects.databases', 'shop');
      // Options are folded (their defaults suit most tasks): open them as a person would.
      await page.locator('details[data-path="options"] > summary').click();
      await fill('options.jobs', '2');
      await page.getByRole('button', { name: 'Create task' }).click();
      await page.waitForURL(`**/tasks/${TASK}/verify`, WAIT);
      await see('main h1', { hasText: `Verification of ${TASK}` });
      expect(await agree(['created', 'checking', 'check-failed'])).toBeTruthy();
    },
    STEP_MS,
  );

  it(
    'shows target.conflicts Failed with its remedy, and Start disabled',
    async () => {
      const conflict = page.locator('tr[data-check="target.conflicts"]');
      if (!(await conflict.count())) {
        await page.getByRole('button', { name: 'Re-run checks' }).click();
      }
      await see('tr[data-check="target.conflicts"][data-result="failed"]');
      expect(await conflict.locator('td[data-field="result"]').textContent()).toBe('Failed');
      const remedy = await conflict.locator('td[data-field="remedy"]').textContent();
      expect(remedy ?? '').toContain('DROP TABLE');
      expect(remedy ?? '').toContain('customers');
      expect(await page.getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
      expect(await agree(['check-failed'])).toBe('check-failed');
    },
    STEP_MS,
  );

  it(
    're-runs the checks once the target is fixed, and starts',
    async () => {
      await target.query('DROP TABLE customers', [], 'shop');
      await page.getByRole('button', { name: 'Re-run checks' }).click();
      await see('tr[data-check="target.conflicts"][data-result="pass"]');
      expect(await page.locator('tr[data-check][data-result="failed"]').count()).toBe(0);
      await see('button:enabled', { hasText: /^Start$/ });
      expect(await agree(['checked'])).toBe('checked');

      writer = startWriter(source, 'shop');
      await page.getByRole('button', { name: 'Start' }).click();
      await page.waitForURL(`**/tasks/${TASK}`, WAIT);
      await see('main h1', { hasText: TASK });
      // No worker runs yet: the task waits, queued, while the detail page is open.
      expect(await agree(['queued'])).toBe('queued');
      await see('[data-live="status"]', { hasText: /^queued$/ });
    },
    STEP_MS,
  );

  it(
    'shows the task following the source on the detail page, live, without a reload',
    async () => {
      // Shown queued before any worker runs, so every change from here on came live.
      await markDocument(page);
      const before = {
        lag: await liveText('lag'),
        history: await page.locator('[data-live="history"] tr').count(),
      };
      worker = startCli(['worker', '--store', store, '--poll', '0.5']);
      // Following: running in the stage that applies the source's changes.
      await see('[data-live="status"]', { hasText: /^running \(syncing\)$/ });
      await see('[data-live="stages"] tr[data-stage="syncing"][data-state="running"]');
      await see('[data-live="stages"] tr[data-stage="full-copy"][data-state="done"]');
      await until('history rows to be added', async () => {
        const rows = await page.locator('[data-live="history"] tr').count();
        return { value: rows > before.history || undefined, seen: rows };
      });
      // The chart gets points: uPlot draws into a canvas, the "no lag yet" line empties.
      await see('[data-chart] canvas', { state: 'attached' });
      await see('[data-live="chart-empty"]', { hasText: /^$/, state: 'attached' });
      await until('lag and apply rate to be measured', async () => {
        const seen = { lag: await liveText('lag'), rate: await liveText('apply-rate') };
        return { value: (seen.lag !== before.lag && seen.rate !== '-') || undefined, seen };
      });
      // Per-table copy progress: every table copied (names as the CLI prints them, shop."public"."orders").
      for (const table of SHOP_TABLES)
        await see(`[data-live="tables"] tr[data-table$='"${table}"']`, { hasText: /done$/ });
      expect(await sameDocument(page)).toBe(true);
      await until('the writer to change the source while the task follows', async () => ({
        value: writer && writer.writes > 20 ? true : undefined,
        seen: writer?.writes,
      }));
      expect(await agree(['running'])).toBe('running');
    },
    STEP_MS,
  );

  it(
    'refuses Finish and Cancel posted without the CSRF token, and changes nothing',
    async () => {
      const historyBefore = (await show(store, TASK)).history.length;
      const cookies = await page.context().cookies(base);
      const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      expect(cookie).toContain('pgshift_console=');
      for (const request of ['finish', 'cancel']) {
        // Another program on the machine, with and without the browser's session cookie.
        for (const headers of [{}, { cookie }] as Record<string, string>[]) {
          const refused = await api(`/tasks/${TASK}/${request}`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
            body: '',
          });
          expect(refused.status, refused.body).toBe(403);
          expect(refused.body).toContain('CSRF');
        }
      }
      const after = await show(store, TASK);
      expect(after.status).toBe('running');
      expect(after.history.length).toBe(historyBefore);
      expect(await agree(['running'])).toBe('running');
    },
    STEP_MS,
  );

  it(
    'finishes from the page and shows completed live; the target is exact',
    async () => {
      // The last changes are made before Finish: the task ends at a point that includes them.
      await writer?.stop();
      // A teammate's tab on the same task, open since before the click: its page cannot have
      // been rendered completed, so seeing it there is seeing the live update.
      const watcher = await page.context().newPage();
      await watcher.goto(`${base}/tasks/${TASK}`);
      await see('[data-live="status"]', { hasText: /^running \(syncing\)$/, tab: watcher });
      await markDocument(watcher);

      await page.getByRole('button', { name: 'Finish' }).click();
      // The form posts and comes back to the detail page, which shows the request.
      await page.waitForURL(`**/tasks/${TASK}`, WAIT);
      await see('[data-live="history"] tr', { hasText: 'finish requested' });
      await see('[data-live="history"] tr', { hasText: 'finish requested', tab: watcher });
      await see('[data-live="status"]', { hasText: /^completed\b/, tab: watcher });
      await see('[data-live="stages"] tr[data-stage="done"]', { tab: watcher });
      expect(await watcher.getByRole('button', { name: 'Finish' }).isDisabled()).toBe(true);
      expect(await sameDocument(watcher)).toBe(true);
      await see('[data-live="status"]', { hasText: /^completed\b/ });
      expect(await agree(['completed'])).toBe('completed');
      // The list tab, open since before the task existed, followed every step without a reload.
      expect(await sameDocument(listTab)).toBe(true);

      const [want, got] = await Promise.all([
        tableFingerprints(source, 'shop', SHOP_TABLES),
        tableFingerprints(target, 'shop', SHOP_TABLES),
      ]);
      expect(want.orders?.rows).toBeGreaterThan(20_000);
      expect(got).toEqual(want);
    },
    STEP_MS,
  );

  it(
    'recorded the console’s actions as console:local and never sent a password',
    async () => {
      const shown = await show(store, TASK);
      const origins = shown.history
        .filter((h) => h.origin)
        .map((h) => ({ status: h.status, origin: h.origin, note: h.note ?? '' }));
      for (const { origin } of origins) expect(origin).toBe('console:local');
      const statuses = new Set(origins.map((o) => o.status));
      for (const status of ['created', 'checking', 'queued']) expect(statuses).toContain(status);
      expect(origins.some((o) => o.note.startsWith('finish requested'))).toBe(true);
      await see('[data-live="history"] tr', { hasText: 'console:local' });

      await events?.stop();
      const everything = [...bodies, { url: '/events', body: events?.text ?? '' }];
      expect(everything.length).toBeGreaterThan(30);
      expect(events?.text).toContain('event: task');
      const logs = [consoleRun?.output() ?? '', worker?.output() ?? ''];
      for (const secret of [SOURCE_PASSWORD, TARGET_PASSWORD]) {
        for (const { url, body } of everything) expect(body.includes(secret), url).toBe(false);
        for (const log of logs) expect(log).not.toContain(secret);
      }
    },
    STEP_MS,
  );
});
