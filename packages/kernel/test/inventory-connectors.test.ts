import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTask } from '../src/index.js';

// The cloud access modes find their inventory through the kernel: a config that only names the
// connector and its `inventory` block must work with the first-party plugins loaded by default.
describe('connectors that resolve through an inventory, loaded from a config', () => {
  let server: SandboxServer;
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-inventory-'));

  beforeAll(async () => {
    server = await startPostgres({ major: 17, password: 'inventory-pass-42' });
    writeFileSync(
      join(dir, 'inventory.yaml'),
      `instances:\n  - { id: ins-db, region: ap-guangzhou, state: RUNNING, privateAddresses: [127.0.0.1], vpcId: vpc-1, subnetId: subnet-1 }\n`,
    );
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (instanceId: string) => {
    const path = join(dir, `${instanceId}.yaml`);
    writeFileSync(
      path,
      [
        'task: { name: inventory-check }',
        'source:',
        '  access: cvm',
        '  region: ap-guangzhou',
        '  network: vpc',
        '  vpcId: vpc-1',
        '  subnetId: subnet-1',
        `  instanceId: ${instanceId}`,
        `  port: ${server.port}`,
        '  user: postgres',
        '  password: inventory-pass-42',
        '  inventory: { use: static, file: ./inventory.yaml }',
        'target:',
        '  access: public-ip',
        `  host: 127.0.0.1`,
        `  port: ${server.port}`,
        '  user: postgres',
        '  password: inventory-pass-42',
      ].join('\n'),
    );
    return path;
  };

  it('opens the source through the static inventory named in its block', async () => {
    const task = await loadTask(write('ins-db'));
    try {
      const source = await task.openServer('source');
      const { rows } = await source.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      expect(source.route.facts.region).toBe('ap-guangzhou');
    } finally {
      await task.close();
    }
  });

  it('names the missing instance when the inventory does not have it', async () => {
    const task = await loadTask(write('ins-gone'));
    try {
      await expect(task.openServer('source')).rejects.toThrow(/ins-gone/);
    } finally {
      await task.close();
    }
  });
});
