import { Capability } from './capabilities.js';
import { definePluginOfKind, type KindSpec } from './define-kind.js';
import type { FrozenOptions, PluginDefinition } from './plugin.js';
import type { VersionPolicy } from './version-policy.js';
import { VERSION_POLICY } from './well-known-tokens.js';

export interface VersionPolicyPluginSpec<O extends object> extends KindSpec<O> {
  /** Its policy allows following on some of the versions it covers (`version-policy.incremental`). */
  incremental: boolean;
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
  const capabilities = spec.incremental
    ? [Capability.versionPolicy.fullCopy, Capability.versionPolicy.incremental]
    : [Capability.versionPolicy.fullCopy];
  return definePluginOfKind<O>('version-policy', spec, capabilities, (r) => {
    r.value(VERSION_POLICY, spec.policy(r.options));
  });
}
