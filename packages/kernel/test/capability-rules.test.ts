import {
  Capability,
  CONNECTOR,
  type Connector,
  type DecoderChoice,
  definePlugin,
  PLUGIN_API_VERSION,
  type PluginKind,
  type Token,
} from '@pgshift/plugin-api';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/index.js';
import {
  CapabilityError,
  type CapabilitySubject,
  checkerRunsIn,
  loaderJobs,
  requireDeclaredCapabilities,
  requireDecoderCapability,
  requireResumeCapability,
} from '../src/plugins/capability-rules.js';

function plugin(name: string, kind: PluginKind, capabilities: string[]) {
  const definition = definePlugin({
    meta: { name, version: '0.0.0', kind, apiVersion: PLUGIN_API_VERSION },
    capabilities,
    register() {},
  });
  const connector: Connector = {
    access: name,
    open: () => Promise.reject(new Error('not opened in this test')),
  };
  const own = <T>(token: Token<T>): T[] =>
    kind === 'connector' && token === CONNECTOR ? [connector as T] : [];
  return { definition, own };
}

const everyConnectorFlag = Object.values(Capability.connector);
const loader = plugin('loader', 'loader', [Capability.loader.schema, Capability.loader.data]);
const replicator = plugin('replicator', 'replicator', [Capability.replicator.pgoutput]);

function task(
  mode: CapabilitySubject['config']['mode'],
  source: Record<string, unknown>,
  connectorFlags: string[],
  others = [loader, replicator],
): CapabilitySubject {
  return {
    config: { mode, source: { access: 'conn', ...source }, target: { access: 'full-conn' } },
    plugins: [
      plugin('conn', 'connector', connectorFlags),
      plugin('full-conn', 'connector', everyConnectorFlag),
      ...others,
    ],
  };
}

function refusal(run: () => void): CapabilityError {
  try {
    run();
  } catch (error) {
    if (error instanceof CapabilityError) return error;
    throw error;
  }
  throw new Error('the task was not refused');
}

describe('the kernel refuses what declared capabilities rule out', () => {
  it('accepts a task whose plugins declare all it asks', () => {
    expect(() =>
      requireDeclaredCapabilities(
        task('full+incremental', { tls: {}, via: { ssh: {} } }, everyConnectorFlag),
      ),
    ).not.toThrow();
  });

  it('refuses following through a source connector without replication connections, with a coded error', () => {
    const error = refusal(() =>
      requireDeclaredCapabilities(task('full+incremental', {}, [Capability.connector.normal])),
    );
    expect(error.code).toBe('PGSHIFT_CAPABILITY_MISSING');
    expect(ERROR_CODES[error.code]).toBeDefined();
    expect(error.message).toBe(
      'plugin conn does not declare connector.replication, which mode full+incremental needs',
    );
    expect(error.details).toEqual({ plugin: 'conn', capability: 'connector.replication' });
    expect(() => requireDeclaredCapabilities(task('full', {}, [Capability.connector.normal]))).not.toThrow();
  });

  it.each([
    ['tls', { tls: { sslmode: 'require' } }, Capability.connector.tls],
    ['via.ssh', { via: { ssh: { host: 'jump', user: 'u', agent: true } } }, Capability.connector.sshTunnel],
    ['inventory', { inventory: { use: 'static', file: 'i.yaml' } }, Capability.connector.inventory],
  ])('refuses a source.%s block for a connector that does not declare it', (field, block, flag) => {
    const flags = everyConnectorFlag.filter((f) => f !== flag);
    const error = refusal(() => requireDeclaredCapabilities(task('full', block, flags)));
    expect(error.message).toBe(`plugin conn does not declare ${flag}, which source.${field} needs`);
    expect(() => requireDeclaredCapabilities(task('full', {}, flags))).not.toThrow();
  });

  it('refuses an inventory block whose inventory plugin does not declare inventory.resolve', () => {
    const block = { inventory: { use: 'inv', file: 'i.yaml' } };
    const silent = plugin('inv', 'inventory', []);
    const error = refusal(() =>
      requireDeclaredCapabilities(task('full', block, everyConnectorFlag, [loader, replicator, silent])),
    );
    expect(error.message).toBe(
      'plugin inv does not declare inventory.resolve, which source.inventory.use needs',
    );
    const resolving = plugin('inv', 'inventory', [Capability.inventory.resolve]);
    expect(() =>
      requireDeclaredCapabilities(task('full', block, everyConnectorFlag, [loader, replicator, resolving])),
    ).not.toThrow();
  });

  it('refuses a loader that does not declare the steps the mode runs', () => {
    const schemaOnly = plugin('schema-loader', 'loader', [Capability.loader.schema]);
    const error = refusal(() =>
      requireDeclaredCapabilities(task('full', {}, everyConnectorFlag, [schemaOnly])),
    );
    expect(error.message).toBe('plugin schema-loader does not declare loader.data, which mode full needs');
    expect(() =>
      requireDeclaredCapabilities(task('schema', {}, everyConnectorFlag, [schemaOnly])),
    ).not.toThrow();
  });

  it('refuses following with a decoder whose format the replicator does not declare', () => {
    const decoder: DecoderChoice = {
      outputPlugin: 'dts_decoding',
      format: 'test_decoding',
      publication: false,
    };
    const subject = task('full+incremental', {}, everyConnectorFlag);
    const error = refusal(() => requireDecoderCapability(subject, decoder));
    expect(error.message).toBe(
      'plugin replicator does not declare replicator.test_decoding, which following through dts_decoding (format test_decoding) needs',
    );
    expect(() =>
      requireDecoderCapability(subject, { outputPlugin: 'pgoutput', format: 'pgoutput', publication: true }),
    ).not.toThrow();
    expect(() => requireDecoderCapability(subject, undefined)).not.toThrow();
  });

  it('runs the checkers of a plugin declaring checker.incremental only when following', () => {
    const followingOnly = plugin('follow-check', 'checker', [
      Capability.checker.report,
      Capability.checker.incremental,
    ]);
    const always = plugin('always-check', 'checker', [Capability.checker.report]);
    expect(checkerRunsIn(followingOnly.definition, 'full')).toBe(false);
    expect(checkerRunsIn(followingOnly.definition, 'schema')).toBe(false);
    expect(checkerRunsIn(followingOnly.definition, 'full+incremental')).toBe(true);
    expect(checkerRunsIn(always.definition, 'full')).toBe(true);
  });

  it('gives a loader that does not declare loader.parallel one job, and a parallel one what was asked', () => {
    const parallel = plugin('parallel-loader', 'loader', [
      Capability.loader.schema,
      Capability.loader.data,
      Capability.loader.parallel,
    ]);
    expect(loaderJobs(task('full', {}, everyConnectorFlag, [loader]), 4)).toBe(1);
    expect(loaderJobs(task('full', {}, everyConnectorFlag, [parallel]), 4)).toBe(4);
  });

  it('refuses to resume a copy or following with a plugin that does not declare it resumes', () => {
    const subject = task('full+incremental', {}, everyConnectorFlag);
    expect(refusal(() => requireResumeCapability(subject, 'copy')).message).toBe(
      'plugin loader does not declare loader.resume, which resuming an interrupted copy needs',
    );
    expect(refusal(() => requireResumeCapability(subject, 'following')).message).toBe(
      'plugin replicator does not declare replicator.resume, which resuming following needs',
    );
    const resuming = task('full+incremental', {}, everyConnectorFlag, [
      plugin('loader', 'loader', [
        Capability.loader.schema,
        Capability.loader.data,
        Capability.loader.resume,
      ]),
      plugin('replicator', 'replicator', [Capability.replicator.pgoutput, Capability.replicator.resume]),
    ]);
    expect(() => requireResumeCapability(resuming, 'copy')).not.toThrow();
    expect(() => requireResumeCapability(resuming, 'following')).not.toThrow();
  });
});
