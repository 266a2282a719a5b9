import { PluginLoadError } from './errors.js';
import type { Token } from './tokens.js';

/** Plugin API version this package defines. Plugins record the one they were built against. */
export const PLUGIN_API_VERSION = '1.0';

export const PLUGIN_KINDS = [
  'connector',
  'checker',
  'version-policy',
  'loader',
  'replicator',
  'inventory',
] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

export interface PluginMeta {
  /** Unique name; first-party plugins are referred to by it in config (`public-ip`, `policy-pg10`). */
  name: string;
  version: string;
  kind: PluginKind;
  /** The plugin API version the plugin was written against, `major.minor`. */
  apiVersion: string;
  description?: string;
}

/** A JSON Schema object (draft 2020-12 subset that ajv accepts in strict mode). */
export type JsonSchema = Record<string, unknown>;

/** Options as a plugin receives them: frozen all the way down, so no plugin changes what another sees. */
export type FrozenOptions<O> = O extends (...args: never[]) => unknown
  ? O
  : O extends readonly (infer E)[]
    ? readonly FrozenOptions<E>[]
    : O extends object
      ? { readonly [K in keyof O]: FrozenOptions<O[K]> }
      : O;

export interface Resolver {
  /** The value registered last under `token` (by this plugin, else by the host); throws when none is. */
  resolve<T>(token: Token<T>): T;
  /** Every value registered under `token` by this plugin, in order, else what the host provides. */
  resolveAll<T>(token: Token<T>): T[];
  isRegistered<T>(token: Token<T>): boolean;
}

/**
 * What a plugin's register() receives: it registers values (or factories, made once on first
 * use) under typed tokens and resolves what the host provides (LOGGER, INVENTORIES, the built-in
 * loader and replicator). The kernel and the conformance suite hand out the same one
 * (instantiatePlugin), so what the suite tests is what a migration runs.
 */
export interface Registrar<O = Record<string, unknown>> extends Resolver {
  readonly plugin: PluginMeta;
  /**
   * The plugin's own options: its defaultOptions with the config's `plugins` entry over them,
   * validated against its configSchema by the host, and frozen. Task-wide settings are not in
   * here; they reach the plugin through the context of each call (LoadContext, ReplicationContext).
   */
  readonly options: FrozenOptions<O>;
  value<T>(token: Token<T>, value: T): void;
  /** A value made on first resolve, once, from what the resolver gives. */
  factory<T>(token: Token<T>, make: (resolver: Resolver) => T): void;
}

export interface PluginDefinition<O extends object = object> {
  meta: PluginMeta;
  capabilities: readonly string[];
  /**
   * JSON Schema of the plugin's own config fields: for a connector, the fields of a
   * `source`/`target` block beside `access`; for other kinds, the `options` of its `plugins`
   * entry. The kernel validates the config against it with ajv when the task loads, and reports a
   * bad field with its path (`plugins[2].options.minConnections`).
   */
  configSchema?: JsonSchema;
  /** Defaults of the options; their type is the type of `registrar.options`. */
  defaultOptions?: O;
  /** Names of other plugins this one needs loaded. */
  requires?: readonly string[];
  register(registrar: Registrar<O>): void | Promise<void>;
}

const NAME_PATTERN = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/;
const API_VERSION_PATTERN = /^\d+\.\d+$/;

/**
 * Declares a plugin. It checks the declaration's shape at once, so a malformed plugin fails where
 * it is written rather than when a migration loads it.
 */
export function definePlugin<O extends object = Record<string, unknown>>(
  definition: PluginDefinition<O>,
): PluginDefinition<O> {
  const { meta } = definition;
  const problems: string[] = [];
  if (!meta || typeof meta !== 'object') problems.push('meta is missing');
  else {
    if (typeof meta.name !== 'string' || !NAME_PATTERN.test(meta.name))
      problems.push('meta.name must be a lower-case package-like name');
    if (typeof meta.version !== 'string' || meta.version.length === 0)
      problems.push('meta.version is missing');
    if (!(PLUGIN_KINDS as readonly string[]).includes(meta.kind))
      problems.push(`meta.kind must be one of ${PLUGIN_KINDS.join(', ')}`);
    if (typeof meta.apiVersion !== 'string' || !API_VERSION_PATTERN.test(meta.apiVersion))
      problems.push('meta.apiVersion must look like "1.0"');
  }
  if (!Array.isArray(definition.capabilities)) problems.push('capabilities must be an array of strings');
  if (typeof definition.register !== 'function') problems.push('register must be a function');
  if (problems.length > 0) {
    const name = typeof meta?.name === 'string' ? meta.name : '(unnamed plugin)';
    throw new PluginLoadError(`plugin ${name} is malformed: ${problems.join('; ')}`, {
      remedy: 'fix the definePlugin() call of the plugin',
    });
  }
  return Object.freeze({ ...definition, capabilities: Object.freeze([...definition.capabilities]) });
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    'meta' in value &&
    'register' in value &&
    typeof (value as { register: unknown }).register === 'function'
  );
}
