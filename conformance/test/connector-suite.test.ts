import { connect, type Socket } from 'node:net';
import {
  Capability,
  CONNECTOR,
  type Connector,
  definePlugin,
  type JsonSchema,
  PLUGIN_API_VERSION,
  RouteError,
} from '@pgshift/plugin-api';
import { openRoute, revealSecret, type SecretValue, secretSchema, viaSchema } from '@pgshift/ssh-tunnel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectorHarness,
  type ConnectorSuiteOptions,
  connectorChecks,
  missingFieldProblems,
  wrongTypeProblems,
} from '../src/index.js';

/**
 * The connector suite held to deliberately broken connectors: each check must fail on the
 * connector that breaks what it checks. One sandbox server and one jump host serve them all.
 */

interface Config {
  host: string;
  port: number;
  user: string;
  password: SecretValue;
  via?: { ssh?: never };
}

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'user', 'password'],
  properties: {
    access: { const: 'reference' },
    host: { type: 'string' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    user: { type: 'string' },
    password: secretSchema('password'),
    via: viaSchema,
  },
};

function plugin(open: Connector<Config>['open'], overrides: { schema?: JsonSchema } = {}) {
  const connector: Connector<Config> = { access: 'reference', open };
  return definePlugin({
    meta: { name: 'reference', version: '0.0.0', kind: 'connector', apiVersion: PLUGIN_API_VERSION },
    capabilities: [
      Capability.connector.normal,
      Capability.connector.replication,
      Capability.connector.sshTunnel,
    ],
    configSchema: overrides.schema ?? schema,
    register(r) {
      r.value(CONNECTOR, connector as unknown as Connector);
    },
  });
}

/** A correct connector, the base the broken ones vary. */
const good: Connector<Config>['open'] = (config, ctx) =>
  openRoute(
    {
      description: `reference ${config.host}:${config.port}`,
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      ...(config.via ? { via: config.via } : {}),
    },
    ctx,
  );

const options: ConnectorSuiteOptions = {
  validConfig: ({ server }) => ({
    access: 'reference',
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  }),
  unreachableConfig: ({ server, closedPort }) => ({
    access: 'reference',
    host: server.host,
    port: closedPort,
    user: server.user,
    password: server.password,
  }),
};

let shared: ConnectorHarness;
const leaked: Socket[] = [];

async function harness(open: Connector<Config>['open'], overrides: { schema?: JsonSchema } = {}) {
  const h = await new ConnectorHarness(options).load({ plugin: plugin(open, overrides) });
  h.server = shared.server;
  h.bastion = shared.bastion;
  h.env = shared.env;
  return h;
}

beforeAll(async () => {
  shared = await new ConnectorHarness(options).load({ plugin: plugin(good) });
  await shared.start(17);
});

afterAll(async () => {
  for (const socket of leaked) socket.destroy();
  await shared?.stop();
});

describe('connector suite on a correct reference connector', () => {
  it('passes every check', async () => {
    for (const [name, check] of Object.entries(connectorChecks)) {
      await expect(check(shared), name).resolves.toBeUndefined();
    }
  });
});

describe('connector suite on broken connectors', () => {
  it('catches a schema whose errors do not name the field, and a field of no type', async () => {
    const loose = await harness(good, {
      schema: {
        ...schema,
        required: [],
        minProperties: 6,
        properties: { ...(schema.properties as object), port: {} },
      },
    });
    expect(missingFieldProblems(loose).problems).toContain('without host: errors name ');
    expect(wrongTypeProblems(loose)).toContain('port = "not-a-number" is accepted');
    await expect(connectorChecks.schemaTypes(loose)).rejects.toThrow();
  });

  it('catches an unreachable route reported as a plain Error', async () => {
    const plain = await harness(async (config, ctx) => {
      try {
        return await good(config, ctx);
      } catch {
        throw new Error('no luck');
      }
    });
    await expect(connectorChecks.unreachable(plain)).rejects.toThrow(/expected a RouteError/);
  });

  it('catches a password in an error', async () => {
    const tells = await harness(async (config, ctx) => {
      try {
        return await good(config, ctx);
      } catch {
        throw new RouteError(
          `reference ${config.host}:${config.port}`,
          `failed with password ${revealSecret(config.password)}`,
        );
      }
    });
    await expect(connectorChecks.secrets(tells)).rejects.toThrow(/shows a secret/);
  });

  it('catches a connector that leaves a socket open', async () => {
    const leaky = await harness(async (config, ctx) => {
      leaked.push(connect(config.port, config.host).on('error', () => {}));
      return good(config, ctx);
    });
    await expect(connectorChecks.close(leaky)).rejects.toThrow();
  });

  it('catches a connector that declares tunnels but ignores via.ssh', async () => {
    const ignores = await harness((config, ctx) => {
      const { via: _ignored, ...direct } = config;
      return good(direct, ctx);
    });
    await expect(connectorChecks.sshOpen(ignores)).rejects.toThrow();
    await expect(connectorChecks.sshHostKey(ignores)).rejects.toThrow();
  });

  it('catches a connector whose close leaves the tunnel open', async () => {
    const keeps = await harness(async (config, ctx) => {
      const route = await good(config, ctx);
      return { ...route, connection: route.connection.bind(route), close: async () => {} };
    });
    await expect(connectorChecks.sshClose(keeps)).rejects.toThrow();
  });
});
