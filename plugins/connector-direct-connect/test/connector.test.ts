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

/** The data-centre address 192.168.10.20 is mapped by gateway dcg-1 to 127.0.0.1. */
function inventory(dir: string): string {
  writeFileSync(
    join(dir, 'inventory.yaml'),
    `directConnectGateways:
  - id: dcg-1
    vpcId: vpc-1
    addressMappings:
      - { from: 192.168.10.20, to: 127.0.0.1 }
  - { id: dcg-ccn }
`,
  );
  return 'inventory.yaml';
}

const base = (server: { user: string; password: string }, dir: string) => ({
  access: 'direct-connect',
  dcGatewayId: 'dcg-1',
  vpcId: 'vpc-1',
  host: '192.168.10.20',
  user: server.user,
  password: server.password,
  inventory: { use: 'static', file: inventory(dir) },
});

describeConnector(
  { plugin, inventories: [staticInventory] },
  {
    validConfig: ({ server, dir }) => ({ ...base(server, dir), port: server.port }),
    unreachableConfig: ({ server, dir, closedPort }) => ({ ...base(server, dir), port: closedPort }),
  },
);

describe('direct-connect resolution', () => {
  let connector: Connector;
  let listener: Server;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-dc-'));
  const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: dir, timeoutMs: 2000 };
  const config = (changes: Record<string, unknown>) => ({
    ...base({ user: 'postgres', password: 'x' }, dir),
    port,
    password: new Secret('x'),
    ...changes,
  });
  const failure = (changes: Record<string, unknown>) =>
    connector.open(config(changes), ctx).then(
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
  });
  afterAll(() => new Promise<void>((done) => listener.close(() => done())));

  it('maps the data-centre address through the gateway', async () => {
    const route = await connector.open(config({}), ctx);
    expect(route.connection().host).toBe('127.0.0.1');
    expect(route.description).toBe(`direct-connect dcg-1 to 192.168.10.20 mapped to 127.0.0.1:${port}`);
    expect(route.facts).toMatchObject({
      dcGatewayId: 'dcg-1',
      vpcId: 'vpc-1',
      dataCentreHost: '192.168.10.20',
    });
    await route.close();
  });

  it('uses an unmapped address as given', async () => {
    const route = await connector.open(config({ host: '127.0.0.1' }), ctx);
    expect(route.connection().host).toBe('127.0.0.1');
    expect(route.description).toBe(`direct-connect dcg-1 to 127.0.0.1:${port}`);
    await route.close();
  });

  it('names a missing gateway and a gateway of another VPC', async () => {
    const missing = await failure({ dcGatewayId: 'dcg-404' });
    expect(missing).toBeInstanceOf(ResourceError);
    expect(missing.message).toMatch(/direct-connect gateway dcg-404 was not found/);
    expect((await failure({ vpcId: 'vpc-2' })).message).toBe(
      'direct-connect gateway dcg-1 belongs to VPC vpc-1, not to VPC vpc-2',
    );
    expect((await failure({ dcGatewayId: 'dcg-ccn' })).message).toMatch(/dcg-ccn belongs to no VPC/);
  });
});
