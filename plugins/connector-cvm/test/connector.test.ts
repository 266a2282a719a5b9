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

/** Instances of a made-up account; the running ones live at 127.0.0.1 (the sandbox or a listener). */
function inventory(dir: string): string {
  writeFileSync(
    join(dir, 'inventory.yaml'),
    `instances:
  - { id: ins-run, region: ap-guangzhou, state: RUNNING, privateAddresses: [127.0.0.1], publicAddresses: [203.0.113.7], vpcId: vpc-1, subnetId: subnet-1 }
  - { id: ins-basic, region: ap-guangzhou, state: RUNNING, privateAddresses: [127.0.0.1] }
  - { id: ins-stopped, region: ap-guangzhou, state: STOPPED, privateAddresses: [127.0.0.1], vpcId: vpc-1, subnetId: subnet-1 }
  - { id: ins-noaddr, region: ap-guangzhou, state: RUNNING, vpcId: vpc-1, subnetId: subnet-1 }
`,
  );
  return 'inventory.yaml';
}

const base = (server: { user: string; password: string }, dir: string) => ({
  access: 'cvm',
  region: 'ap-guangzhou',
  network: 'vpc',
  vpcId: 'vpc-1',
  subnetId: 'subnet-1',
  instanceId: 'ins-run',
  user: server.user,
  password: server.password,
  inventory: { use: 'static', file: inventory(dir) },
});

describeConnector(
  { plugin, inventories: [staticInventory] },
  {
    validConfig: ({ server, dir }) => ({ ...base(server, dir), port: server.port, database: 'postgres' }),
    unreachableConfig: ({ server, dir, closedPort }) => ({ ...base(server, dir), port: closedPort }),
  },
);

describe('cvm resolution', () => {
  let connector: Connector;
  let listener: Server;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-cvm-'));
  const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: dir, timeoutMs: 2000 };
  const config = (changes: Record<string, unknown>) => ({
    ...base({ user: 'postgres', password: 'x' }, dir),
    port,
    password: new Secret('x'),
    ...changes,
  });

  beforeAll(async () => {
    connector = await instantiateConnector(plugin, [staticInventory]);
    listener = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', () => done()));
    port = (listener.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => listener.close(() => done())));

  const failure = (changes: Record<string, unknown>) =>
    connector.open(config(changes), ctx).then(
      () => {
        throw new Error('resolution succeeded');
      },
      (e: unknown) => e as Error,
    );

  it('names a stopped instance, its state and region, and what to do', async () => {
    const error = await failure({ instanceId: 'ins-stopped' });
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toBe(
      'CVM instance ins-stopped is STOPPED in ap-guangzhou; start it or choose another instance',
    );
  });

  it('names a missing instance and the inventory it looked in', async () => {
    const error = await failure({ instanceId: 'ins-nothere' });
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toMatch(
      /CVM instance ins-nothere was not found in ap-guangzhou \(static inventory/,
    );
    expect((await failure({ region: 'ap-beijing' })).message).toMatch(/ins-run was not found in ap-beijing/);
  });

  it('checks the VPC, the subnet and the network type', async () => {
    expect((await failure({ vpcId: 'vpc-2' })).message).toMatch(/ins-run is in VPC vpc-1, not in VPC vpc-2/);
    expect((await failure({ subnetId: 'subnet-9' })).message).toMatch(
      /subnet subnet-1, not in subnet subnet-9/,
    );
    expect((await failure({ network: 'basic' })).message).toMatch(
      /ins-run is in VPC vpc-1, not in the basic network/,
    );
    expect((await failure({ instanceId: 'ins-basic' })).message).toMatch(/ins-basic is in the basic network/);
    expect((await failure({ instanceId: 'ins-noaddr' })).message).toMatch(/has no private address/);
  });

  it('resolves a basic-network instance to its private address and reports region facts', async () => {
    const route = await connector.open(config({ instanceId: 'ins-basic', network: 'basic' }), ctx);
    expect(route.connection().host).toBe('127.0.0.1');
    expect(route.connection().port).toBe(port);
    expect(route.facts).toMatchObject({
      access: 'cvm',
      region: 'ap-guangzhou',
      network: 'basic',
      instanceId: 'ins-basic',
    });
    await route.close();
    const vpcRoute = await connector.open(config({}), ctx);
    expect(vpcRoute.facts).toMatchObject({
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
      publicAddress: '203.0.113.7',
    });
    expect(vpcRoute.description).toBe(`cvm ins-run in ap-guangzhou (127.0.0.1:${port})`);
    await vpcRoute.close();
  });

  it('says which inventory plugins are loaded when the named one is not', async () => {
    const error = await failure({ inventory: { use: 'nope' } });
    expect(error.message).toMatch(
      /source\.inventory\.use: no inventory plugin named "nope" is loaded \(loaded: static\)/,
    );
  });
});
