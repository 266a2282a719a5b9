import { Capability } from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { gate, majorsOf } from '../options.js';
import { connectorChecks } from './checks.js';
import { ConnectorHarness } from './harness.js';
import type { ConnectorFactory, ConnectorSuiteOptions } from './types.js';

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
} as const satisfies Record<keyof typeof connectorChecks, string>;

type CheckName = keyof typeof connectorChecks;

/** The capability each server-backed check needs. */
const NEEDS: Partial<Record<CheckName, string>> = {
  normal: Capability.connector.normal,
  replication: Capability.connector.replication,
  unreachable: Capability.connector.normal,
  secrets: Capability.connector.normal,
  close: Capability.connector.normal,
  sshOpen: Capability.connector.sshTunnel,
  sshClose: Capability.connector.sshTunnel,
  sshHostKey: Capability.connector.sshTunnel,
  sshUnreachable: Capability.connector.sshTunnel,
};

function check(h: ConnectorHarness, options: ConnectorSuiteOptions, name: CheckName): void {
  it(CONNECTOR_TESTS[name], async (ctx) => {
    const capability = NEEDS[name];
    gate(
      ctx,
      CONNECTOR_TESTS[name],
      options,
      capability ? { capability, declared: h.capabilities } : undefined,
    );
    await connectorChecks[name](h);
  });
}

/** Schema and metadata tests; they need no server. */
export function describeConnectorSchema(factory: ConnectorFactory, options: ConnectorSuiteOptions): void {
  const h = new ConnectorHarness(options);
  beforeAll(async () => {
    await h.load(factory);
  });
  for (const name of ['meta', 'schemaValid', 'schemaMissing', 'schemaTypes'] as const)
    check(h, options, name);
}

/** Route tests against a real server of one major (and an in-process SSH jump host). */
export function describeConnectorOnMajor(
  factory: ConnectorFactory,
  options: ConnectorSuiteOptions,
  major: number,
): void {
  const h = new ConnectorHarness(options);
  beforeAll(async () => {
    await h.load(factory);
    await h.start(major);
  });
  afterAll(async () => {
    await h.stop();
  });
  for (const name of ['normal', 'replication', 'unreachable', 'secrets', 'close'] as const)
    check(h, options, name);
  describe('through an SSH jump host', () => {
    for (const name of ['sshOpen', 'sshClose', 'sshHostKey', 'sshUnreachable'] as const)
      check(h, options, name);
  });
}

/**
 * The connector conformance suite: schema tests, then route tests on a real server of each major
 * (default [17]); the SSH tests run only for connectors that declare connector.ssh-tunnel.
 */
export function describeConnector(factory: ConnectorFactory, options: ConnectorSuiteOptions): void {
  describe('connector conformance', () => {
    describeConnectorSchema(factory, options);
    for (const major of majorsOf(options))
      describe(`PostgreSQL ${major}`, () => describeConnectorOnMajor(factory, options, major));
  });
}
