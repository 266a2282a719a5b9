import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { openClient } from '@pgshift/pg';
import { apiVersionSupported, Capability, PLUGIN_API_VERSION, type Route } from '@pgshift/plugin-api';
import type { TestBastion } from '@pgshift/ssh-tunnel';
import { expect } from 'vitest';
import { APP, type ConnectorHarness, SERVER_PASSWORD, WRONG_PASSWORD } from './harness.js';
import { compileStrict, errorPath, fieldsOf, withField, wrongTypeFor } from './schema-check.js';
import { openTcpSockets, serverSessions } from './sockets.js';

/** Everything an error could show a person or a log. */
export function errorText(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [
    String(e?.message),
    String(e?.stack),
    JSON.stringify(e),
    inspect(e, { depth: 6 }),
    inspect(e?.cause),
  ].join('\n');
}

export function expectNoSecret(text: string, secrets: readonly string[], what: string): void {
  for (const secret of secrets)
    if (secret && text.includes(secret))
      throw new Error(`${what} shows a secret:\n${text.replaceAll(secret, '<<SECRET>>')}`);
}

export const isRouteError = (error: unknown): error is Error & { code: string; route: string } =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'PGSHIFT_ROUTE_UNREACHABLE' &&
  typeof (error as { route?: unknown }).route === 'string';

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

/** Opens a route expected to fail and returns the error (closing the route if it opened). */
async function failure(h: ConnectorHarness, config: Record<string, unknown>, what: string): Promise<unknown> {
  return h.open(config).then(
    async (route) => {
      await route.close();
      throw new Error(`open succeeded on ${what}`);
    },
    (e: unknown) => e,
  );
}

const bastionOf = (h: ConnectorHarness): TestBastion => {
  if (!h.bastion) throw new Error('no jump host was started');
  return h.bastion;
};

/** Problems of the schema when each field of the valid config is removed in turn. */
export function missingFieldProblems(h: ConnectorHarness): { problems: string[]; rejected: number } {
  const validate = compileStrict(h.schema);
  const config = h.schemaConfig();
  const problems: string[] = [];
  let rejected = 0;
  for (const field of fieldsOf(config, h.schema)) {
    const path = field.path.join('.');
    if (validate(withField(config, field.path, { remove: true }))) continue;
    rejected++;
    const paths = (validate.errors ?? []).map(errorPath);
    if (!paths.includes(path)) problems.push(`without ${path}: errors name ${paths.join(', ')}`);
  }
  for (const key of (h.schema.required as string[] | undefined) ?? [])
    if (!(key in config)) problems.push(`required field ${key} is missing from validConfig`);
  return { problems, rejected };
}

/** Problems of the schema when each field of the valid config gets a value of another type. */
export function wrongTypeProblems(h: ConnectorHarness): string[] {
  const validate = compileStrict(h.schema);
  const config = h.schemaConfig();
  const problems: string[] = [];
  for (const field of fieldsOf(config, h.schema)) {
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
  return problems;
}

/** Each check of the suite, by the key of its name in CONNECTOR_TESTS. */
export const connectorChecks = {
  async meta(h: ConnectorHarness) {
    const { meta } = h.subject.plugin;
    expect(meta.kind).toBe('connector');
    expect(
      apiVersionSupported(meta.apiVersion),
      `apiVersion ${meta.apiVersion} runs on plugin API ${PLUGIN_API_VERSION}`,
    ).toBe(true);
    expect(h.connector.access).toBe(meta.name);
    expect(typeof h.connector.open).toBe('function');
    expect(h.capabilities).toContain(Capability.connector.normal);
  },

  async schemaValid(h: ConnectorHarness) {
    expect(h.subject.plugin.configSchema, 'a connector must declare a configSchema').toBeDefined();
    const validate = compileStrict(h.schema);
    expect(validate(h.schemaConfig()), JSON.stringify(validate.errors)).toBe(true);
  },

  async schemaMissing(h: ConnectorHarness) {
    const { problems, rejected } = missingFieldProblems(h);
    expect(problems).toEqual([]);
    expect(rejected, 'no field of the valid config is required').toBeGreaterThan(0);
  },

  async schemaTypes(h: ConnectorHarness) {
    expect(wrongTypeProblems(h)).toEqual([]);
  },

  async normal(h: ConnectorHarness) {
    const config = h.validConfig();
    const route = await h.open(config);
    try {
      expect(typeof route.description).toBe('string');
      expect(route.description.length).toBeGreaterThan(0);
      const client = await openClient(route.connection({ database: 'postgres' }), APP);
      try {
        const { rows } = await client.query('select current_user as u, current_database() as d, 6 * 7 as n');
        expect(rows[0]).toEqual({ u: config.user ?? h.env.server.user, d: 'postgres', n: 42 });
      } finally {
        await client.end();
      }
    } finally {
      await route.close();
    }
  },

  async replication(h: ConnectorHarness) {
    const server = h.server!;
    const [expected] = await server.query<{ id: string }>(
      'select system_identifier::text as id from pg_control_system()',
    );
    const route = await h.open(h.validConfig());
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
  },

  async unreachable(h: ConnectorHarness) {
    const outcome = await Promise.race([
      h.open(h.unreachableConfig()).then(
        (route) => ({ route }),
        (error: unknown) => ({ error }),
      ),
      new Promise<{ late: true }>((done) => setTimeout(() => done({ late: true }), h.timeoutMs + 10_000)),
    ]);
    if ('late' in outcome) throw new Error(`open did not give up within its timeout of ${h.timeoutMs} ms`);
    if ('route' in outcome) {
      await outcome.route.close();
      throw new Error('open succeeded on a route that leads nowhere');
    }
    const { error } = outcome;
    expect(isRouteError(error), `expected a RouteError, got ${inspect(error)}`).toBe(true);
    const routeError = error as Error & { route: string };
    expect(routeError.route.length).toBeGreaterThan(0);
    expect(routeError.message).toContain(routeError.route);
  },

  async secrets(h: ConnectorHarness) {
    const secrets = [SERVER_PASSWORD, WRONG_PASSWORD];
    const e1 = await failure(
      h,
      { ...h.unreachableConfig(), password: WRONG_PASSWORD },
      'a route that leads nowhere',
    );
    expectNoSecret(errorText(e1), secrets, 'the error of an unreachable route');

    const route = await h.open(h.validConfig());
    expectNoSecret(
      `${route.description}\n${JSON.stringify(route.facts)}\n${inspect(route)}`,
      secrets,
      'the route',
    );
    await route.close();

    const wrong = await h.open({ ...h.validConfig(), password: WRONG_PASSWORD }).catch((e: unknown) => e);
    if (wrong && typeof (wrong as Route).connection === 'function') {
      const r = wrong as Route;
      const e2 = await openClient(r.connection(), APP).then(
        async (c) => {
          await c.end();
          throw new Error('a wrong password was accepted');
        },
        (e: unknown) => e,
      );
      await r.close();
      expectNoSecret(errorText(e2), secrets, 'the error of a wrong password');
    } else expectNoSecret(errorText(wrong), secrets, 'the error of a wrong password');
  },

  async close(h: ConnectorHarness) {
    const server = h.server!;
    const baseline = await settledSockets();
    const route = await h.open(h.validConfig());
    const clients = [await openClient(route.connection(), APP)];
    if (h.declares(Capability.connector.replication))
      clients.push(await openClient(route.connection({ replication: true }), APP));
    expect(await serverSessions(server, APP)).toBe(clients.length);
    for (const client of clients) await client.end();
    await route.close();
    await route.close();
    await expect.poll(() => serverSessions(server, APP)).toBe(0);
    await expect.poll(() => openTcpSockets(), { timeout: 3000 }).toBeLessThanOrEqual(baseline);
  },

  async sshOpen(h: ConnectorHarness) {
    const b = bastionOf(h);
    writeFileSync(join(h.env.dir, 'known_hosts'), `${b.knownHostsLine}\n`);
    writeFileSync(join(h.env.dir, 'jump_key'), b.clientPrivateKey, { mode: 0o600 });
    const route = await h.open({
      ...h.validConfig(),
      via: {
        ssh: {
          host: b.host,
          port: b.port,
          user: b.user,
          privateKeyFile: 'jump_key',
          knownHosts: 'known_hosts',
        },
      },
    });
    try {
      expect(route.description).toContain(`${b.host}:${b.port}`);
      const normal = await openClient(route.connection(), APP);
      const replication = await openClient(route.connection({ replication: true }), APP);
      expect(b.forwards).toBe(2);
      expect((await normal.query('select 6 * 7 as n')).rows[0]).toEqual({ n: 42 });
      expect((await replication.query('IDENTIFY_SYSTEM')).rows[0]).toHaveProperty('systemid');
      await normal.end();
      await replication.end();
    } finally {
      await route.close();
    }
  },

  async sshClose(h: ConnectorHarness) {
    const b = bastionOf(h);
    const server = h.server!;
    const baseline = await settledSockets();
    const route = await h.open({ ...h.validConfig(), via: h.sshVia() });
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
    await expect.poll(() => openTcpSockets(), { timeout: 3000 }).toBeLessThanOrEqual(baseline);
  },

  async sshHostKey(h: ConnectorHarness) {
    const b = bastionOf(h);
    const error = await failure(
      h,
      { ...h.validConfig(), via: h.sshVia({ hostKey: `SHA256:${'B'.repeat(43)}` }) },
      'a jump host with an unknown host key',
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
  },

  async sshUnreachable(h: ConnectorHarness) {
    const b = bastionOf(h);
    const error = await failure(
      h,
      { ...h.unreachableConfig(), via: h.sshVia() },
      'a route that leads nowhere',
    );
    expect(isRouteError(error), `expected a RouteError, got ${inspect(error)}`).toBe(true);
    expect((error as Error).message).toContain((error as { route: string }).route);
    expectNoSecret(errorText(error), [SERVER_PASSWORD], 'the error of an unreachable route');
    await expect.poll(() => b.connections).toBe(0);
  },
} as const;
