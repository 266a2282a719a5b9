import { describe, expect, it } from 'vitest';
import {
  Capability,
  CHECKER,
  type Checker,
  CONNECTOR,
  type Connector,
  defineChecker,
  defineConnector,
  defineVersionPolicy,
  instantiatePlugin,
  LOGGER,
  optionsOverDefaults,
  PLUGIN_API_VERSION,
  quietHost,
  silentLogger,
  VERSION_POLICY,
  type VersionPolicy,
} from '../src/index.js';

const checker = (id: string): Checker => ({
  id,
  title: id,
  run: async () => ({ id, title: id, status: 'pass', message: '' }),
});

describe('the define helpers', () => {
  it('defineChecker declares a checker plugin and registers each checker, made from its options', async () => {
    const plugin = defineChecker({
      name: 'check-x',
      version: '1.2.3',
      description: 'x',
      followingOnly: true,
      defaultOptions: { limit: 3 },
      checkers: (options) => [checker(`a${options.limit}`), checker('b')],
    });
    expect(plugin.meta).toEqual({
      name: 'check-x',
      version: '1.2.3',
      kind: 'checker',
      apiVersion: PLUGIN_API_VERSION,
      description: 'x',
    });
    expect(plugin.capabilities).toEqual([Capability.checker.report, Capability.checker.incremental]);
    expect(Object.isFrozen(plugin)).toBe(true);
    const ids = (await instantiatePlugin(plugin, { options: { limit: 5 } })).own(CHECKER).map((c) => c.id);
    expect(ids).toEqual(['a5', 'b']);
    expect(
      defineChecker({ name: 'c', version: '1', description: '', checkers: () => [] }).capabilities,
    ).toEqual([Capability.checker.report]);
  });

  it('defineVersionPolicy and defineConnector register under their tokens', async () => {
    const policy: VersionPolicy = {
      name: 'p',
      covers: { min: 90300 },
      capabilities: () => ({ fullCopy: true, incremental: false, slotSnapshotSyntax: 'implicit' }),
    };
    const policyPlugin = defineVersionPolicy({
      name: 'p',
      version: '1',
      description: '',
      incremental: false,
      policy: () => policy,
    });
    expect(policyPlugin.capabilities).toEqual([Capability.versionPolicy.fullCopy]);
    expect((await instantiatePlugin(policyPlugin)).own(VERSION_POLICY)).toEqual([policy]);

    const connector: Connector<{ host: string }> = {
      access: 'c',
      open: () => Promise.reject(new Error('no')),
    };
    const connectorPlugin = defineConnector({
      name: 'c',
      version: '1',
      description: '',
      capabilities: [Capability.connector.normal],
      configSchema: { type: 'object' },
      connector: () => connector,
    });
    expect(connectorPlugin.meta.kind).toBe('connector');
    expect((await instantiatePlugin(connectorPlugin)).own(CONNECTOR)).toEqual([connector]);
  });

  it('optionsOverDefaults puts the given options over the defaults; quietHost answers only LOGGER', () => {
    expect(optionsOverDefaults({ defaultOptions: { a: 1, b: 2 } }, { b: 3 })).toEqual({ a: 1, b: 3 });
    expect(optionsOverDefaults({})).toEqual({});
    expect(quietHost(LOGGER)).toBe(silentLogger);
    expect(quietHost(CHECKER)).toBeUndefined();
  });
});
