import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTaskStore, newTaskRecord, transition } from '../src/index.js';
import { REPO, tempDir } from './temp-dir.js';

const TASKS = join(REPO, 'packages/tasks/src/index.ts');

/** A separate process doing `rounds` read-modify-write updates of one record, and claims. */
function hammer(root: string, rounds: number, dir: ReturnType<typeof tempDir>, id: number, at: number) {
  const script = dir.write(
    `hammer-${id}.mts`,
    `import { FileTaskStore } from ${JSON.stringify(TASKS)};
     const store = new FileTaskStore(${JSON.stringify(root)});
     // All processes begin together, so their updates really interleave.
     await new Promise((r) => setTimeout(r, Math.max(0, ${at} - Date.now())));
     for (let i = 0; i < ${rounds}; i++) {
       await store.update('counter', (r) => { r.history.push({ status: 'created', at: new Date().toISOString(), note: 'p${id}' }); });
     }
     const claimed = await store.claimNext({ workerId: 'w${id}', host: 'host-${id}', pid: process.pid, staleMs: 60000 });
     console.log(claimed ? claimed.record.name : '-');`,
  );
  return new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', script],
      { cwd: REPO, timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`hammer ${id} failed: ${stderr.slice(0, 500)}`)) : resolve(stdout.trim()),
    ),
  );
}

describe('embedded task store', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('loses no change and hands each task to one worker when processes write at once', async () => {
    const root = join(dir.dir, 'store');
    const store = new FileTaskStore(root);
    const config = { path: '/nowhere.yaml', fileName: 'config.yaml', text: 'task: {}\n' };
    await store.create(newTaskRecord({ name: 'counter', mode: 'full', config }));
    for (const name of ['t1', 't2', 't3']) {
      const record = newTaskRecord({ name, mode: 'full', config });
      await store.create(record);
      await store.update(name, (r) => {
        r.dueAt = new Date(Date.now() - 1000).toISOString();
        transition(r, 'queued');
      });
    }
    const at = Date.now() + 4000;
    const claims = await Promise.all([0, 1, 2, 3].map((id) => hammer(root, 100, dir, id, at)));
    const counter = await store.get('counter');
    // 1 'created' entry plus 100 per process: every read-modify-write kept.
    expect(counter?.history).toHaveLength(1 + 4 * 100);
    // Three due tasks, four workers (on different hosts, so their claims live by heartbeat even
    // after their process ends here): each task taken once, one worker got nothing.
    expect(claims.filter((c) => c !== '-').sort()).toEqual(['t1', 't2', 't3']);
    const taken = await Promise.all(['t1', 't2', 't3'].map((n) => store.get(n)));
    expect(taken.map((r) => r?.status)).toEqual(['running', 'running', 'running']);
  });
});
