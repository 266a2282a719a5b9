import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConnector, instantiateConnector } from '@pgshift/conformance';
import staticInventory from '@pgshift/inventory-static';
import {
  type Connector,
  type ConnectorContext,
  ResourceError,
  Secret,
  silentLogger,
} from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

/** postgres-up's private endpoint is the sandbox; postgres-down's leads nowhere. */
function inventory(dir: string, port: number, closedPort: number): string {
  writeFileSync(
    join(dir, 'inventory.yaml'),
    `databases:
  - id: postgres-up
    region: ap-guangzhou
    status: running
    endpoints:
      - { type: private, host: 127.0.0.1, port: ${port}, vpcId: vpc-1, subnetId: subnet-1 }
      - { type: public, host: 127.0.0.1, port: ${closedPort} }
  - id: postgres-down
    region: ap-guangzhou
    status: running
    endpoints: [{ type: private, host: 127.0.0.1, port: ${closedPort} }]
  - { id: postgres-isolated, region: ap-guangzhou, status: isolated, endpoints: [] }
  - { id: postgres-closed, region: ap-guangzhou, status: running, endpoints: [] }
`,
  );
  return 'inventory.yaml';
}

const base = (server: { user: string; password: string }, file: string, instanceId: string) => ({
  access: 'cloud-instance',
  instanceId,
  region: 'ap-guangzhou',
  user: server.user,
  password: server.password,
  inventory: { use: 'static', file },
});

describeConnector(
  { plugin, inventories: [staticInventory] },
  {
    validConfig: ({ server, dir, closedPort }) =>
      base(server, inventory(dir, server.port, closedPort), 'postgres-up'),
    unreachableConfig: ({ server, dir, closedPort }) =>
      base(server, inventory(dir, server.port, closedPort), 'postgres-down'),
  },
);

describe('cloud-instance resolution', () => {
  let connector: Connector;
  let listener: Server;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-cloud-'));
  const ctx: ConnectorContext = { role: 'target', logger: silentLogger, baseDir: dir, timeoutMs: 2000 };
  const config = (instanceId: string, changes: Record<string, unknown> = {}) => ({
    ...base({ user: 'postgres', password: 'x' }, 'inventory.yaml', instanceId),
    password: new Secret('x'),
    ...changes,
  });
  const failure = (instanceId: string, changes: Record<string, unknown> = {}) =>
    connector.open(config(instanceId, changes), ctx).then(
      () => {
        throw new Error('resolution succeeded');
      },
      (e: unknown) => e as Error,
    );

  beforeAll(async () => {
    connector = await instantiateConnector(plugin, [staticInventory]);
    listener = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', () => done()));
    port = (listener.address() as { port: number }).port;
    inventory(dir, port, 1);
  });
  afterAll(() => new Promise<void>((done) => listener.close(() => done())));

  it('uses the private endpoint (vip:vport) by default and reports it', async () => {
    const route = await connector.open(config('postgres-up'), ctx);
    expect(route.connection()).toMatchObject({ host: '127.0.0.1', port });
    expect(route.facts).toMatchObject({ region: 'ap-guangzhou', endpoint: 'private', vpcId: 'vpc-1' });
    await route.close();
  });

  it('uses the public endpoint when asked', async () => {
    const error = await failure('postgres-up', { endpoint: 'public' });
    // The public endpoint of the fixture is a closed port: the route is tried and reported.
    expect((error as { code?: string }).code).toBe('PGSHIFT_ROUTE_UNREACHABLE');
    expect(error.message).toContain('public 127.0.0.1:1');
  });

  it('names a missing, a stopped and an unreachable-by-config instance', async () => {
    const missing = await failure('postgres-404');
    expect(missing).toBeInstanceOf(ResourceError);
    expect(missing.message).toMatch(/PostgreSQL instance postgres-404 was not found in ap-guangzhou/);
    expect((await failure('postgres-isolated')).message).toBe(
      'PostgreSQL instance postgres-isolated is isolated in ap-guangzhou, not running',
    );
    expect((await failure('postgres-closed')).message).toMatch(/has no open private or public endpoint/);
  });
});
