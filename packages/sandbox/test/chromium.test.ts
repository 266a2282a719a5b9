import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, CHROMIUM_VARIABLE, chromiumMissing, launchChromium } from '../src/index.js';

// The text changes only when the page's script runs in a real browser, on a real click.
const PAGE = `<!doctype html>
<html lang="en"><head><title>launcher test</title></head>
<body>
  <p id="out">not clicked</p>
  <button type="button" id="go">Change</button>
  <script>
    document.getElementById('go').addEventListener('click', () => {
      document.getElementById('out').textContent = 'clicked ' + (1 + 1);
    });
  </script>
</body></html>`;

/** Command lines of this process's children: the browser Playwright spawned. */
function childCommandLines(): string[][] {
  const out: string[][] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The parent pid is the 2nd field after the parenthesised command name.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

const missing = chromiumMissing();

describe.skipIf(missing)(`launchChromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('runs a page script on a click and takes a PNG screenshot', async () => {
    const browser = await launchChromium();
    let profile: string | undefined;
    try {
      const chromium = childCommandLines().find((args) => args.includes('--disable-quic'));
      expect(chromium, 'a Chromium child process with our flags').toBeDefined();
      for (const flag of CHROMIUM_FLAGS) expect(chromium).toContain(flag);
      profile = chromium?.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
      expect(profile && existsSync(profile), 'a temporary profile directory').toBe(true);

      const page = await browser.newPage();
      await page.goto(url);
      expect(await page.textContent('#out')).toBe('not clicked');
      await page.getByRole('button', { name: 'Change' }).click();
      await expect.poll(() => page.textContent('#out')).toBe('clicked 2');

      const png = await page.screenshot();
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.length).toBeGreaterThan(1000);
    } finally {
      await browser.close();
    }
    expect(profile && existsSync(profile), 'the profile is removed on close').toBe(false);
  });
});

describe('chromiumMissing', () => {
  it(`names ${CHROMIUM_VARIABLE} when it points at nothing`, () => {
    const before = process.env[CHROMIUM_VARIABLE];
    process.env[CHROMIUM_VARIABLE] = '/nonexistent/chromium';
    try {
      expect(chromiumMissing()).toBe(`${CHROMIUM_VARIABLE}=/nonexistent/chromium is not an executable file`);
    } finally {
      if (before === undefined) delete process.env[CHROMIUM_VARIABLE];
      else process.env[CHROMIUM_VARIABLE] = before;
    }
  });
});
