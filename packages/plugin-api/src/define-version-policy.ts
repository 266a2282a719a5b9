import { Capability } from './capabilities.js';
import {
  definePlugin,
  type FrozenOptions,
  type JsonSchema,
  PLUGIN_API_VERSION,
  type PluginDefinition,
} from './plugin.js';
import type { VersionPolicy } from './version-policy.js';
import { VERSION_POLICY } from './well-known-tokens.js';

export interface VersionPolicyPluginSpec<O extends object> {
  /** The plugin's name (`meta.name`). */
  name: string;
  version: string;
  description: string;
  /** Its policy allows following on some of the versions it covers (`version-policy.incremental`). */
  incremental: boolean;
  configSchema?: JsonSchema;
  defaultOptions?: O;
  /** The policy the plugin registers, made from its frozen options. */
  policy(options: FrozenOptions<O>): VersionPolicy;
}

/**
 * Declares a version-policy plugin: definePlugin with kind `version-policy`, the current plugin
 * API, `version-policy.full-copy` (and `version-policy.incremental`), registering the policy under
 * VERSION_POLICY.
 */
export function defineVersionPolicy<O extends object = Record<string, unknown>>(
  spec: VersionPolicyPluginSpec<O>,
): PluginDefinition<O> {
  return definePlugin<O>({
    meta: {
      name: spec.name,
      version: spec.version,
      kind: 'version-policy',
      apiVersion: PLUGIN_API_VERSION,
      description: spec.description,
    },
    capabilities: spec.incremental
      ? [Capability.versionPolicy.fullCopy, Capability.versionPolicy.incremental]
      : [Capability.versionPolicy.fullCopy],
    ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    ...(spec.defaultOptions ? { defaultOptions: spec.defaultOptions } : {}),
    register(r) {
      r.value(VERSION_POLICY, spec.policy(r.options));
    },
  });
}
