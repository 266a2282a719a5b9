import { createServer, type Server } from 'node:net';
import { compileStrict, instantiateConnector, sealSecrets } from '@pgshift/conformance';
import cvm from '@pgshift/connector-cvm';
import { type ConnectorContext, ResourceError, silentLogger } from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tencentcloud from '../src/index.js';
import { type MockCloud, startMockCloud } from './mock-tencentcloud.js';

const SECRET_ID = 'AKIDthroughConnector01';
const SECRET_KEY = 'sk-Through-Connector-5b2e';

/** A cvm block resolved through the tencentcloud inventory: secrets by env reference, as users write them. */
describe('tencentcloud inventory behind the cvm connector', () => {
  let cloud: MockCloud;
  let listener: Server;
  let port: number;
  const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: '/', timeoutMs: 3000 };

  beforeAll(async () => {
    process.env.PGSHIFT_TEST_TC_ID = SECRET_ID;
    process.env.PGSHIFT_TEST_TC_KEY = SECRET_KEY;
    listener = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', () => done()));
    port = (listener.address() as { port: number }).port;
    cloud = await startMockCloud({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      instances: [
        {
          InstanceId: 'ins-live',
          Region: 'ap-guangzhou',
          InstanceState: 'RUNNING',
          PrivateIpAddresses: ['127.0.0.1'],
          VirtualPrivateCloud: { VpcId: 'vpc-a', SubnetId: 'subnet-a' },
        },
        {
          InstanceId: 'ins-off',
          Region: 'ap-guangzhou',
          InstanceState: 'STOPPED',
          PrivateIpAddresses: ['127.0.0.1'],
          VirtualPrivateCloud: { VpcId: 'vpc-a', SubnetId: 'subnet-a' },
        },
      ],
    });
  });

  afterAll(async () => {
    await cloud?.close();
    await new Promise<void>((done) => listener.close(() => done()));
  });

  const block = (instanceId: string) => ({
    access: 'cvm',
    region: 'ap-guangzhou',
    network: 'vpc',
    vpcId: 'vpc-a',
    subnetId: 'subnet-a',
    instanceId,
    port,
    user: 'postgres',
    password: 'pw',
    inventory: {
      use: 'tencentcloud',
      secretId: { env: 'PGSHIFT_TEST_TC_ID' },
      secretKey: { env: 'PGSHIFT_TEST_TC_KEY' },
      endpoint: cloud.url,
    },
  });

  async function open(instanceId: string) {
    const validate = compileStrict(cvm.configSchema ?? {});
    const config = block(instanceId);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    const connector = await instantiateConnector(cvm, [tencentcloud]);
    return connector.open(sealSecrets(config, cvm.configSchema ?? {}), ctx);
  }

  it('resolves the instance through signed API calls', async () => {
    const route = await open('ins-live');
    expect(route.connection()).toMatchObject({ host: '127.0.0.1', port });
    expect(route.facts).toMatchObject({ region: 'ap-guangzhou', vpcId: 'vpc-a', instanceId: 'ins-live' });
    await route.close();
    expect(cloud.calls.at(-1)).toMatchObject({ action: 'DescribeInstances', region: 'ap-guangzhou' });
  });

  it('fails with the instance named when the API says it is stopped', async () => {
    const error = await open('ins-off').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as Error).message).toBe(
      'CVM instance ins-off is STOPPED in ap-guangzhou; start it or choose another instance',
    );
  });
});
