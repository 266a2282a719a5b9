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

export interface Resolver {
  resolve<T>(token: Token<T>): T;
  isRegistered<T>(token: Token<T>): boolean;
}

/**
 * What a plugin sees of the DI container: it can register values, factories and classes under
 * typed tokens, and resolve what the kernel provides. The container library stays hidden.
 */
export interface Registrar extends Resolver {
  readonly plugin: PluginMeta;
  /** The plugin's options: its defaultOptions merged with what the config gives. */
  readonly options: Readonly<Record<string, unknown>>;
  value<T>(token: Token<T>, value: T): void;
  factory<T>(token: Token<T>, factory: (resolver: Resolver) => T): void;
  /** A class whose constructor parameters are all decorated with `@inject(TOKEN)`. */
  singleton<T>(token: Token<T>, ctor: new (...args: never[]) => T): void;
}

export interface PluginDefinition<O extends Record<string, unknown> = Record<string, unknown>> {
  meta: PluginMeta;
  capabilities: readonly string[];
  /**
   * Schema of the plugin's own config fields: for a connector, the fields of a `source`/`target`
   * block beside `access`; for other kinds, the `options` of its `plugins` entry.
   */
  configSchema?: JsonSchema;
  defaultOptions?: O;
  /** Names of other plugins this one needs loaded. */
  requires?: readonly string[];
  register(registrar: Registrar): void | Promise<void>;
}

const NAME_PATTERN = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/;
const API_VERSION_PATTERN = /^\d+\.\d+$/;

/**
 * Declares a plugin. It checks the declaration's shape at once, so a malformed plugin fails where
 * it is written rather than when a migration loads it.
 */
export function definePlugin<O extends Record<string, unknown>>(
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
