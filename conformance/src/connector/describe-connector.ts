import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { openClient } from '@pgshift/pg';
import {
  Capability,
  type Connector,
  type ConnectorContext,
  type JsonSchema,
  PLUGIN_API_VERSION,
  type Route,
  silentLogger,
} from '@pgshift/plugin-api';
import { freePort, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { startTestBastion, type TestBastion } from '@pgshift/ssh-tunnel';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate, majorsOf } from '../options.js';
import { instantiateConnector } from './instantiate.js';
import { compileStrict, errorPath, fieldsOf, sealSecrets, withField, wrongTypeFor } from './schema-check.js';
import { openTcpSockets, serverSessions } from './sockets.js';
import type { ConnectorEnv, ConnectorFactory, ConnectorSubject, ConnectorSuiteOptions } from './types.js';

/** The names of the connector suite's tests, for bypasses. */
export const CONNECTOR_TESTS = {
  meta: 'connector [meta] declares kind connector and the current plugin API, and registers a CONNECTOR for meta.name',
  schemaValid: 'connector [schema] compiles under ajv strict mode and accepts the valid config',
  schemaMissing: 'connector [schema] rejects each missing required field with its path',
  schemaTypes: 'connector [schema] rejects each wrong type with its path',
  normal: 'connector [connector.normal] open yields working normal connections',
  replication: 'connector [connector.replication] open yields working replication connections',
  unreachable:
    'connector [connector.normal] an unreachable route fails with a RouteError describing it, within the timeout',
  secrets: 'connector [connector.normal] no secret appears in any error, description or fact',
  close: 'connector [connector.normal] close releases every socket',
  sshOpen:
    'connector [connector.ssh-tunnel] normal and replication connections run through the SSH jump host',
  sshClose: 'connector [connector.ssh-tunnel] close releases the tunnel, its channels and every socket',
  sshHostKey:
    'connector [connector.ssh-tunnel] an unknown host key is refused, naming the jump host and the fingerprint',
  sshUnreachable:
    'connector [connector.ssh-tunnel] a server the jump host cannot reach fails with a RouteError',
} as const;

const APP = 'pgshift-connector-conformance';
const SERVER_PASSWORD = `conformance-Pw-${Math.random().toString(36).slice(2, 10)}`;
const WRONG_PASSWORD = `wrong-Pw-${Math.random().toString(36).slice(2, 10)}`;

async function subjectOf(factory: ConnectorFactory): Promise<ConnectorSubject> {
  return typeof factory === 'function' ? factory() : factory;
}

class Loaded {
  subject!: ConnectorSubject;
  connector!: Connector;
  async load(factory: ConnectorFactory): Promise<this> {
    this.subject = await subjectOf(factory);
    this.connector = await instantiateConnector(this.subject.plugin, this.subject.inventories);
    return this;
  }
  get capabilities(): readonly string[] {
    return this.subject.plugin.capabilities;
  }
  get schema(): JsonSchema {
    return this.subject.plugin.configSchema ?? {};
  }
}

/** Everything an error could show a person or a log. */
function errorText(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [
    String(e?.message),
    String(e?.stack),
    JSON.stringify(e),
    inspect(e, { depth: 6 }),
    inspect(e?.cause),
  ].join('\n');
}

function expectNoSecret(text: string, secrets: readonly string[], what: string): void {
  for (const secret of secrets)
    if (text.includes(secret))
      throw new Error(`${what} shows a secret:\n${text.replaceAll(secret, '<<SECRET>>')}`);
}

const isRouteError = (error: unknown): error is Error & { code: string; route: string } =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'PGSHIFT_ROUTE_UNREACHABLE' &&
  typeof (error as { route?: unknown }).route === 'string';

function sshBlock(bastion: TestBastion, extra: Record<string, unknown> = {}) {
  return {
    ssh: {
      host: bastion.host,
      port: bastion.port,
      user: bastion.user,
      privateKey: bastion.clientPrivateKey,
      hostKey: bastion.hostKeyFingerprint,
      ...extra,
    },
  };
}

/** Validates against the plugin's schema, then seals secrets and opens, as the kernel would. */
async function openWith(
  loaded: Loaded,
  validate: ValidateFunction,
  config: Record<string, unknown>,
  env: ConnectorEnv,
  timeoutMs: number,
): Promise<Route> {
  if (!validate(config))
    throw new Error(`the config given to the suite is not valid: ${JSON.stringify(validate.errors)}`);
  const ctx: ConnectorContext = { role: 'source', logger: silentLogger, baseDir: env.dir, timeoutMs };
  return loaded.connector.open(sealSecrets(config, loaded.schema), ctx);
}

async function settledSockets(): Promise<number> {
  let last = openTcpSockets();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const now = openTcpSockets();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Schema and metadata tests; they need no server. */
export function describeConnectorSchema(factory: ConnectorFactory, options: ConnectorSuiteOptions): void {
  const loaded = new Loaded();
  const env: ConnectorEnv = {
    server: {
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: SERVER_PASSWORD,
      database: 'postgres',
    },
    closedPort: 1,
    dir: mkdtempSync(join(tmpdir(), 'pgshift-connector-schema-')),
  };
  const fullConfig = () => {
    const config = options.validConfig(env);
    if (loaded.capabilities.includes(Capability.connector.sshTunnel) && config.via === undefined)
      config.via = {
        ssh: {
          host: 'bastion.example',
          port: 22,
          user: 'jump',
          privateKey: 'key',
          hostKey: `SHA256:${'a'.repeat(43)}`,
        },
      };
    return config;
  };
  beforeAll(async () => {
    await loaded.load(factory);
  });

  it(CONNECTOR_TESTS.meta, (ctx) => {
    gate(ctx, CONNECTOR_TESTS.meta, options);
    const { meta } = loaded.subject.plugin;
    expect(meta.kind).toBe('connector');
    expect(meta.apiVersion.split('.')[0]).toBe(PLUGIN_API_VERSION.split('.')[0]);
    expect(loaded.connector.access).toBe(meta.name);
    expect(typeof loaded.connector.open).toBe('function');
    expect(loaded.capabilities).toContain(Capability.connector.normal);
  });

  it(CONNECTOR_TESTS.schemaValid, (ctx) => {
    gate(ctx, CONNECTOR_TESTS.schemaValid, options);
    expect(loaded.subject.plugin.configSchema, 'a connector must declare a configSchema').toBeDefined();
    const validate = compileStrict(loaded.schema);
    const valid = validate(fullConfig());
    expect(valid, JSON.stringify(validate.errors)).toBe(true);
  });

  it(CONNECTOR_TESTS.schemaMissing, (ctx) => {
    gate(ctx, CONNECTOR_TESTS.schemaMissing, options);
    const validate = compileStrict(loaded.schema);
    const config = fullConfig();
    const problems: string[] = [];
    let rejected = 0;
    for (const field of fieldsOf(config, loaded.schema)) {
      const path = field.path.join('.');
      if (validate(withField(config, field.path, { remove: true }))) continue;
      rejected++;
      const paths = (validate.errors ?? []).map(errorPath);
      if (!paths.includes(path)) problems.push(`without ${path}: errors name ${paths.join(', ')}`);
    }
    for (const key of (loaded.schema.required as string[] | undefined) ?? [])
      if (!(key in config)) problems.push(`required field ${key} is missing from validConfig`);
    expect(problems).toEqual([]);
    expect(rejected, 'no field of the valid config is required').toBeGreaterThan(0);
  });

  it(CONNECTOR_TESTS.schemaTypes, (ctx) => {
    gate(ctx, CONNECTOR_TESTS.schemaTypes, options);
    const validate = compileStrict(loaded.schema);
    const config = fullConfig();
    const problems: string[] = [];
    for (const field of fieldsOf(config, loaded.schema)) {
      const path = field.path.join('.');
      const wrong = wrongTypeFor(field.value);
      if (validate(withField(config, field.path, { value: wrong }))) {
        problems.push(`${path} = ${JSON.stringify(wrong)} is accepted`);
        continue;
      }
      const paths = (validate.errors ?? []).map(errorPath);
      if (!paths.includes(path))
        problems.push(`${path} = ${JSON.stringify(wrong)}: errors name ${paths.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });
}

/** Route tests against a real server of one major (and an in-process SSH jump host). */
export function describeConnectorOnMajor(
  factory: ConnectorFactory,
  options: ConnectorSuiteOptions,
  major: number,
): void {
  const loaded = new Loaded();
  let server: SandboxServer;
  let bastion: TestBastion | undefined;
  let env: ConnectorEnv;
  let validate: ValidateFunction;
  const timeoutMs = options.timeoutMs ?? 3000;
  const open = (config: Record<string, unknown>) => openWith(loaded, validate, config, env, timeoutMs);
  const ssh = () => loaded.capabilities.includes(Capability.connector.sshTunnel);

  beforeAll(async () => {
    await loaded.load(factory);
    validate = compileStrict(loaded.schema);
    [server, bastion] = await Promise.all([
      startPostgres({ major, password: SERVER_PASSWORD }),
      ssh() ? startTestBastion() : Promise.resolve(undefined),
    ]);
    const connection = server.connection();
    env = {
      server: { ...connection, password: SERVER_PASSWORD },
      closedPort: await freePort(),
      dir: mkdtempSync(join(tmpdir(), 'pgshift-connector-')),
    };
  });

  afterAll(async () => {
    await bastion?.close();
    await server?.stop();
  });

  it(CONNECTOR_TESTS.normal, async (ctx) => {
    gate(ctx, CONNECTOR_TESTS.normal, options, {
      capability: Capability.connector.normal,
      declared: loaded.capabilities,
    });
    const config = options.validConfig(env);
    const route = await open(config);
    try {
      expect(typeof route.description).toBe('string');
      expect(route.description.length).toBeGreaterThan(0);
      const client = await openClient(route.connection({ database: 'postgres' }), APP);
      try {
        const { rows } = await client.query('select current_user as u, current_database() as d, 6 * 7 as n');
        expect(rows[0]).toEqual({ u: config.user ?? env.server.user, d: 'postgres', n: 42 });
      } finally {
        await client.end();
      }
    } finally {
      await route.close();
    }
  });

  it(CONNECTOR_TESTS.replication, async (ctx) => {
    gate(ctx, CONNECTOR_TESTS.replication, options, {
      capability: Capability.connector.replication,
      declared: loaded.capabilities,
    });
    const [expected] = await server.query<{ id: string }>(
      'select system_identifier::text as id from pg_control_system()',
    );
    const route = await open(options.validConfig(env));
    try {
      const client = await openClient(route.connection({ database: 'postgres', replication: true }), APP);
      try {
        const { rows } = await client.query('IDENTIFY_SYSTEM');
        expect(String(rows[0]?.systemid)).toBe(expected?.id);
        expect(rows[0]?.dbname).toBe('postgres');
      } finally {
        await client.end();
      }
    } finally {
      await route.close();
    }
  });

  it(CONNECTOR_TESTS.unreachable, async (ctx) => {
    gate(ctx, CONNECTOR_TESTS.unreachable, options, {
      capability: Capability.connector.normal,
      declared: loaded.capabilities,
    });
    const outcome = await Promise.race([
      open(options.unreachableConfig(env)).then(
        (route) => ({ route }),
        (error: unknown) => ({ error }),
      ),
      new Promise<{ late: true }>((done) => setTimeout(() => done({ late: true }), timeoutMs + 10_000)),
    ]);
    if ('late' in outcome) throw new Error(`open did not give up within its timeout of ${timeoutMs} ms`);
    if ('route' in outcome) {
      await outcome.route.close();
      throw new Error('open succeeded on a route that leads nowhere');
    }
    const { error } = outcome;
    expect(isRouteError(error), `expected a RouteError, got ${inspect(error)}`).toBe(true);
    const routeError = error as Error & { route: string };
    expect(routeError.route.length).toBeGreaterThan(0);
    expect(routeError.message).toContain(routeError.route);
  });

  it(CONNECTOR_TESTS.secrets, async (ctx) => {
    gate(ctx, CONNECTOR_TESTS.secrets, options, {
      capability: Capability.connector.normal,
      declared: loaded.capabilities,
    });
    const secrets = [SERVER_PASSWORD, WRONG_PASSWORD];
    const unreachable = options.unreachableConfig(env);
    unreachable.password = WRONG_PASSWORD;
    const e1 = await open(unreachable).then(
      async (r) => {
        await r.close();
        throw new Error('open succeeded on a route that leads nowhere');
      },
      (e: unknown) => e,
    );
    expectNoSecret(errorText(e1), secrets, 'the error of an unreachable route');

    const route = await open(options.validConfig(env));
    expectNoSecret(
      `${route.description}\n${JSON.stringify(route.facts)}\n${inspect(route)}`,
      secrets,
      'the route',
    );
    await route.close();

    const wrong = options.validConfig(env);
    wrong.password = WRONG_PASSWORD;
    const wrongRoute = await open(wrong).catch((e: unknown) => e);
    if (wrongRoute && typeof (wrongRoute as Route).connection === 'function') {
      const r = wrongRoute as Route;
      const e2 = await openClient(r.connection(), APP).then(
        async (c) => {
          await c.end();
          throw new Error('a wrong password was accepted');
        },
        (e: unknown) => e,
      );
      expectNoSecret(errorText(e2), secrets, 'the error of a wrong password');
      await r.close();
    } else expectNoSecret(errorText(wrongRoute), secrets, 'the error of a wrong password');
  });

  it(CONNECTOR_TESTS.close, async (ctx) => {
    gate(ctx, CONNECTOR_TESTS.close, options, {
      capability: Capability.connector.normal,
      declared: loaded.capabilities,
    });
    const baseline = await settledSockets();
    const route = await open(options.validConfig(env));
    const normal = await openClient(route.connection(), APP);
    const clients = [normal];
    if (loaded.capabilities.includes(Capability.connector.replication))
      clients.push(await openClient(route.connection({ replication: true }), APP));
    expect(await serverSessions(server, APP)).toBe(clients.length);
    expect(openTcpSockets()).toBeGreaterThan(baseline);
    for (const client of clients) await client.end();
    await route.close();
    await route.close();
    await expect.poll(() => serverSessions(server, APP)).toBe(0);
    await expect.poll(() => openTcpSockets()).toBeLessThanOrEqual(baseline);
  });

  describe('through an SSH jump host', () => {
    it(CONNECTOR_TESTS.sshOpen, async (ctx) => {
      gate(ctx, CONNECTOR_TESTS.sshOpen, options, {
        capability: Capability.connector.sshTunnel,
        declared: loaded.capabilities,
      });
      const b = bastion as TestBastion;
      writeFileSync(join(env.dir, 'known_hosts'), `${b.knownHostsLine}\n`);
      writeFileSync(join(env.dir, 'jump_key'), b.clientPrivateKey, { mode: 0o600 });
      const config = {
        ...options.validConfig(env),
        via: {
          ssh: {
            host: b.host,
            port: b.port,
            user: b.user,
            privateKeyFile: 'jump_key',
            knownHosts: 'known_hosts',
          },
        },
      };
      const route = await open(config);
      try {
        expect(route.description).toContain(`${b.host}:${b.port}`);
        const normal = await openClient(route.connection(), APP);
        const replication = await openClient(route.connection({ replication: true }), APP);
        expect(b.forwards).toBe(2);
        const { rows } = await normal.query('select 6 * 7 as n');
        expect(rows[0]).toEqual({ n: 42 });
        const identify = await replication.query('IDENTIFY_SYSTEM');
        expect(identify.rows[0]).toHaveProperty('systemid');
        await normal.end();
        await replication.end();
      } finally {
        await route.close();
      }
    });

    it(CONNECTOR_TESTS.sshClose, async (ctx) => {
      gate(ctx, CONNECTOR_TESTS.sshClose, options, {
        capability: Capability.connector.sshTunnel,
        declared: loaded.capabilities,
      });
      const b = bastion as TestBastion;
      const baseline = await settledSockets();
      const route = await open({ ...options.validConfig(env), via: sshBlock(b) });
      const normal = await openClient(route.connection(), APP);
      const replication = await openClient(route.connection({ replication: true }), APP);
      expect(await serverSessions(server, APP)).toBe(2);
      expect(b.connections).toBe(1);
      // Closing the route must cut its channels even while clients still hold them.
      await route.close();
      await expect.poll(() => b.connections).toBe(0);
      await expect.poll(() => b.forwards).toBe(0);
      await expect.poll(() => serverSessions(server, APP)).toBe(0);
      await normal.end().catch(() => {});
      await replication.end().catch(() => {});
      await expect.poll(() => openTcpSockets()).toBeLessThanOrEqual(baseline);
    });

    it(CONNECTOR_TESTS.sshHostKey, async (ctx) => {
      gate(ctx, CONNECTOR_TESTS.sshHostKey, options, {
        capability: Capability.connector.sshTunnel,
        declared: loaded.capabilities,
      });
      const b = bastion as TestBastion;
      const error = await open({
        ...options.validConfig(env),
        via: sshBlock(b, { hostKey: `SHA256:${'B'.repeat(43)}` }),
      }).then(
        async (route) => {
          await route.close();
          throw new Error('a jump host with an unknown host key was accepted');
        },
        (e: unknown) => e,
      );
      expect(isRouteError(error), `expected a RouteError, got ${inspect(error)}`).toBe(true);
      expect((error as Error).message).toContain(b.hostKeyFingerprint);
      expect((error as Error).message).toContain(b.host);
      expectNoSecret(
        errorText(error),
        [SERVER_PASSWORD, b.clientPrivateKey.split('\n')[2] ?? ''],
        'the host-key error',
      );
      await expect.poll(() => b.connections).toBe(0);
    });

    it(CONNECTOR_TESTS.sshUnreachable, async (ctx) => {
      gate(ctx, CONNECTOR_TESTS.sshUnreachable, options, {
        capability: Capability.connector.sshTunnel,
        declared: loaded.capabilities,
      });
      const b = bastion as TestBastion;
      const error = await open({ ...options.unreachableConfig(env), via: sshBlock(b) }).then(
        async (route) => {
          await route.close();
          throw new Error('open succeeded on a route that leads nowhere');
        },
        (e: unknown) => e,
      );
      expect(isRouteError(error), `expected a RouteError, got ${inspect(error)}`).toBe(true);
      expect((error as Error).message).toContain((error as { route: string }).route);
      expectNoSecret(errorText(error), [SERVER_PASSWORD], 'the error of an unreachable route');
      await expect.poll(() => b.connections).toBe(0);
    });
  });
}

/**
 * The connector conformance suite: schema tests, then route tests on a real server of each major
 * (default [17]); SSH tests run only for connectors that declare connector.ssh-tunnel.
 */
export function describeConnector(factory: ConnectorFactory, options: ConnectorSuiteOptions): void {
  describe('connector conformance', () => {
    describeConnectorSchema(factory, options);
    for (const major of majorsOf(options))
      describe(`PostgreSQL ${major}`, () => describeConnectorOnMajor(factory, options, major));
  });
}
