import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromiumMissing, launchChromium } from '@pgshift/sandbox';
import { FileTaskStore, newTaskRecord, transition } from '@pgshift/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHandle, startConsole } from '../src/index.js';

/**
 * Every page of the console checked in Chromium by axe-core against the WCAG 2.1 A and AA rules:
 * no violation of any impact. The pages are filled as a real task fills them (checks of every
 * result, a running copy of two tables, lag samples, a history with origins), so the rows, bars,
 * chart and buttons are there to be checked, not just empty frames.
 */
const missing = chromiumMissing();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const CONFIG =
  'task:\n  name: shop\nsource:\n  access: public-ip\n  host: db1.example\n  port: 5432\n  user: app\n  password: not-shown\n' +
  'target:\n  access: public-ip\n  host: db2.example\n  port: 5433\n  user: app\n  password: not-shown\n' +
  'objects:\n  databases: [shop]\nmode: full+incremental\n';

describe.skipIf(missing)(`console pages are accessible${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-console-a11y-'));
  const store = new FileTaskStore(join(dir, 'store'));
  let handle: ConsoleHandle;
  let browser: Browser;

  beforeAll(async () => {
    const record = newTaskRecord({
      name: 'shop',
      mode: 'full+incremental',
      config: { path: join(dir, 'shop.yaml'), fileName: 'config.yaml', text: CONFIG },
    });
    record.checks = {
      at: new Date().toISOString(),
      ok: false,
      summary: { pass: 1, warning: 1, failed: 1, total: 3 },
      items: [
        { id: 'source.wal-level', title: 'WAL level', status: 'pass', message: 'wal_level is logical' },
        {
          id: 'source.long-transactions',
          title: 'Long transactions',
          status: 'warning',
          message: 'a transaction has been open for 2 hours',
          remedy: 'end it before the copy starts',
        },
        {
          id: 'target.conflicts',
          title: 'Target conflicts',
          status: 'failed',
          message: 'database shop exists on the target',
          remedy: 'DROP DATABASE shop; on the target',
        },
      ],
    };
    transition(record, 'check-failed', { origin: 'console:local' });
    transition(record, 'running', { stage: 'full-copy', origin: 'cli:operator' });
    const now = Date.now();
    record.live = {
      at: new Date(now).toISOString(),
      copy: {
        rows: 5000,
        bytes: 4_000_000,
        totalBytes: 10_000_000,
        tablesDone: 1,
        tablesTotal: 2,
        startedAt: new Date(now - 10_000).toISOString(),
        tables: [
          {
            database: 'shop',
            table: 'public.orders',
            rows: 3000,
            bytes: 2_000_000,
            totalBytes: 8_000_000,
            done: false,
          },
          {
            database: 'shop',
            table: 'public.customers',
            rows: 2000,
            bytes: 2_000_000,
            totalBytes: 2_000_000,
            done: true,
          },
        ],
      },
    };
    record.lagSeries = Array.from({ length: 12 }, (_, i) => ({
      at: new Date(now - (12 - i) * 5000).toISOString(),
      lagBytes: 1000 * i,
      lagSeconds: i / 2,
      applyRate: 40 + i,
    }));
    await store.create(record);
    handle = await startConsole({ store, listen: '127.0.0.1:0', stateDir: join(dir, 'console') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await handle?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const path of ['/', '/tasks/new', '/tasks/import', '/tasks/shop/verify', '/tasks/shop', '/plugins']) {
    it(`${path} has no WCAG 2.1 A/AA violation`, async () => {
      const page = await browser.newPage();
      try {
        await page.goto(new URL(path, handle.url).href);
        await page.waitForLoadState('networkidle');
        // Evaluated through the debugging protocol: the page's CSP (no inline script) stays on.
        await page.evaluate(AXE);
        const violations = (await page.evaluate(`axe
          .run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then((r) => r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
          })))`)) as { id: string; impact: string | null; help: string; nodes: string[] }[];
        expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
        // The page is the real one, not a refusal or an error.
        expect(await page.locator('main h1').count()).toBe(1);
      } finally {
        await page.close();
      }
    });
  }
});
