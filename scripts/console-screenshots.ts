// The README's screenshots of the console, into docs/console/: `node --import tsx scripts/console-screenshots.ts`.
// Not part of the test run (it writes into docs/ and waits on a live migration to look its part).
// It starts two sandbox servers (PostgreSQL 15 source with a small `shop` database, 17 target),
// `pgshift console` and `pgshift worker` on a temporary file store, then drives the pages in
// Chromium the way a user does: fill in the new-task form, verify, start, watch, list, plugins.
// The page steps are at the bottom, one function per screenshot, written against the selector
// conventions of docs (the console brief): adjust them there when a page changes.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  launchChromium,
  type Page,
  type SandboxServer,
  startPostgres,
} from '../packages/sandbox/src/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'docs/console');
const TASK = 'shop-to-17';

/** The sample database: a few related tables, enough rows that the copy shows progress. */
const SHOP = `
  CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL);
  CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers,
                       total numeric(10,2) NOT NULL, placed_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com' FROM generate_series(1, 5000) i;
  INSERT INTO orders (customer_id, total, placed_at)
    SELECT 1 + i % 5000, (i % 997) / 10.0, now() - i * interval '1 minute' FROM generate_series(1, 300000) i;
`;

/** A pgshift process in the background, its output in a log file shown when it fails. */
interface Background {
  name: string;
  child: ChildProcess;
  log: string;
}

function pgshift(dir: string, name: string, args: string[]): Background {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [join(REPO, 'packages/cli/bin/pgshift.mjs'), ...args], {
    cwd: REPO,
    stdio: ['ignore', fd, fd],
  });
  return { name, child, log };
}

/** Asks it to stop, and waits: the worker lets go of the servers before they stop. */
async function stopProcess(run: Background): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  const exited = new Promise((done) => run.child.once('exit', done));
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function logTail(run: Background): string {
  return readFileSync(run.log, 'utf8').split('\n').slice(-30).join('\n');
}

/** Polls `probe` until it gives a value; a probe that throws ends the wait with its error. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The console answers on `url`; fails at once when it exits instead (main prints its log). */
async function consoleReady(run: Background, url: string): Promise<void> {
  await until(`the console at ${url}`, async () => {
    if (run.child.exitCode !== null)
      throw new Error(`pgshift console exited with code ${run.child.exitCode}`);
    // Refused until it listens.
    return (await fetch(url).catch(() => undefined))?.ok || undefined;
  });
}

interface ShownTask {
  status: string;
  stage?: string;
  lagSeries?: unknown[];
}

/** The task as the console's JSON API shows it (the same object as `pgshift task show --json`). */
async function shown(base: string): Promise<ShownTask> {
  const res = await fetch(`${base}/api/tasks/${TASK}`);
  if (!res.ok) throw new Error(`GET /api/tasks/${TASK}: ${res.status} ${await res.text()}`);
  return (await res.json()) as ShownTask;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-screenshots-'));
  const servers: SandboxServer[] = [];
  const processes: Background[] = [];
  let writer: NodeJS.Timeout | undefined;
  const browser = await launchChromium();
  try {
    const [source, target] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ major: 17 })]);
    servers.push(source, target);
    await source.query('CREATE DATABASE shop');
    await source.query(SHOP, [], 'shop');
    // A table already on the target: the verification page shows a Failed check with its remedy.
    await target.query('CREATE DATABASE shop');
    await target.query('CREATE TABLE customers (id bigint PRIMARY KEY)', [], 'shop');

    const store = join(dir, 'store');
    const listen = `127.0.0.1:${await freePort()}`;
    const base = `http://${listen}`;
    const consoleRun = pgshift(dir, 'console', ['console', '--store', store, '--listen', listen]);
    processes.push(consoleRun, pgshift(dir, 'worker', ['worker', '--store', store, '--poll', '0.5']));
    await consoleReady(consoleRun, base);
    // Changes on the source while the task follows, so the chart has an apply rate to draw.
    writer = setInterval(() => {
      source.query('INSERT INTO orders (customer_id, total) VALUES (1, 9.99)', [], 'shop').catch(() => {});
    }, 200);

    mkdirSync(OUT, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const ctx: StepContext = { page, base, source, target };
    for (const [file, step] of STEPS) {
      await step(ctx);
      await page.screenshot({ path: join(OUT, file), fullPage: true });
      console.log(`console-screenshots: docs/console/${file}`);
    }
  } catch (error) {
    for (const run of processes) console.error(`--- ${run.name} (${run.log}):\n${logTail(run)}`);
    throw error;
  } finally {
    clearInterval(writer);
    await browser.close();
    await Promise.all(processes.map(stopProcess));
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- The page steps: each leaves the page showing what its screenshot is of. ----

interface StepContext {
  page: Page;
  base: string;
  source: SandboxServer;
  target: SandboxServer;
}

/**
 * Fills a field by its config path (`source.host`), whether it is an input or a select. Each
 * connector's fieldset has its own `source.host`: only the chosen access mode's is visible.
 */
async function setField(page: Page, name: string, value: string): Promise<void> {
  const field = page.locator(`[name="${name}"]:visible`);
  if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
  else await field.fill(value);
}

async function newTask({ page, base, source, target }: StepContext): Promise<void> {
  await page.goto(`${base}/tasks/new`);
  const endpoint = (side: string, server: SandboxServer): [string, string][] => [
    // The access mode first: the form shows only its fields.
    [`${side}.access`, 'public-ip'],
    [`${side}.host`, server.host],
    [`${side}.port`, String(server.port)],
    [`${side}.user`, server.user],
    [`${side}.password`, 'not-needed-with-trust'],
  ];
  const fields: [string, string][] = [
    ['task.name', TASK],
    ...endpoint('source', source),
    ...endpoint('target', target),
    ['objects.databases', 'shop'],
    ['mode', 'full+incremental'],
    ['options.jobs', '2'],
  ];
  // Options are folded: open them, as a person changing one would (and the shot shows them).
  await page.locator('details[data-path="options"] > summary').click();
  for (const [name, value] of fields) await setField(page, name, value);
}

const WAIT = { timeout: 120_000 };

async function verify({ page }: StepContext): Promise<void> {
  await page.getByRole('button', { name: 'Create task' }).click();
  await page.waitForURL(`**/tasks/${TASK}/verify`, WAIT);
  // A new task has not been checked yet: run them, and wait for the target's conflict.
  await page.getByRole('button', { name: 'Re-run checks' }).click();
  await page.locator('tr[data-check="target.conflicts"][data-result="failed"]').waitFor(WAIT);
}

async function taskDetail({ page, base, target }: StepContext): Promise<void> {
  // The fix the remedy names, then the checks again: Start is enabled once nothing Failed.
  await target.query('DROP TABLE customers', [], 'shop');
  await page.getByRole('button', { name: 'Re-run checks' }).click();
  await page.locator('tr[data-check="target.conflicts"][data-result="pass"]').waitFor(WAIT);
  await page.locator('button:enabled', { hasText: /^Start$/ }).waitFor(WAIT);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForURL(`**/tasks/${TASK}`, WAIT);
  // Following, with a few points of lag and apply rate on the chart (one every 5 s at most).
  await page.locator('[data-live="status"]', { hasText: /^running \(syncing\)$/ }).waitFor(WAIT);
  await until('points on the chart', async () => {
    const points = (await shown(base))?.lagSeries?.length ?? 0;
    return points >= 5 || undefined;
  });
  await page.locator('[data-chart] canvas').waitFor({ ...WAIT, state: 'attached' });
  // Its live update draws the newest points.
  await page.locator('[data-live="chart-empty"]', { hasText: /^$/ }).waitFor({ ...WAIT, state: 'attached' });
}

async function taskList({ page, base }: StepContext): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator(`tr[data-task="${TASK}"]`).waitFor();
}

async function plugins({ page, base }: StepContext): Promise<void> {
  await page.goto(`${base}/plugins`);
  await page.locator('main h1').waitFor();
}

/** Screenshot file and the step that sets the page up for it, in the order a user goes. */
const STEPS: [string, (ctx: StepContext) => Promise<void>][] = [
  ['new-task.png', newTask],
  ['verify.png', verify],
  ['task-detail.png', taskDetail],
  ['task-list.png', taskList],
  ['plugins.png', plugins],
];

await main();
