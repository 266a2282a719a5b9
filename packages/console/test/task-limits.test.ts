import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTaskStore, newTaskRecord } from '@pgshift/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHandle, startConsole } from '../src/index.js';
import { client } from './http-client.js';

/** Set limits on the detail page does what `pgshift task set` does, with the console's origin. */
describe('rate limits from the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-console-limits-'));
  const store = new FileTaskStore(join(dir, 'store'));
  let handle: ConsoleHandle;

  beforeAll(async () => {
    await store.create(
      newTaskRecord({
        name: 'shop',
        mode: 'full+incremental',
        config: { path: join(dir, 'shop.yaml'), fileName: 'config.yaml', text: 'task: { name: shop }\n' },
      }),
    );
    handle = await startConsole({ store, listen: '127.0.0.1:0', stateDir: join(dir, 'console') });
  });
  afterAll(async () => {
    await handle?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the change and its origin, refuses a bad value naming the field, and needs the CSRF token', async () => {
    const c = client(handle.url);
    const page = await c.send('/tasks/shop');
    expect(page.body).toContain('Rate limits');
    const csrf = c.csrfOf(page);

    const set = await c.send('/tasks/shop/limits', {
      method: 'POST',
      form: { _csrf: csrf, copyMbps: '20', applyRows: 'none', copyRows: '', applyMbps: '' },
    });
    expect(set.status).toBe(303);
    const record = await store.get('shop');
    expect(record?.limits).toEqual({ copy: { megabytesPerSecond: 20 }, apply: { rowsPerSecond: 0 } });
    const entry = record?.history.at(-1);
    expect(entry?.note).toBe('limits set: copy 20 MB/s, apply rows/s unlimited');
    expect(entry?.origin).toBe('console:local');
    expect((await c.send('/tasks/shop')).body).toContain(
      'set copy 20 MB/s; apply unlimited (over the config&#39;s)',
    );

    const bad = await c.send('/tasks/shop/limits', {
      method: 'POST',
      form: { _csrf: csrf, applyMbps: 'fast' },
    });
    expect(bad.status).toBe(409);
    expect(bad.body).toContain('Apply, MB/s written to the target: &quot;fast&quot; is not a limit');
    const none = await c.send('/tasks/shop/limits', { method: 'POST', form: { _csrf: csrf } });
    expect(none.body).toContain('no limit to set was given');
    const forged = await c.send('/tasks/shop/limits', { method: 'POST', form: { copyMbps: '1' } });
    expect(forged.status).toBe(403);
    expect((await store.get('shop'))?.limits).toEqual(record?.limits);
  });
});
