import { Capability } from './capabilities.js';
import type { Checker } from './checker.js';
import {
  definePlugin,
  type FrozenOptions,
  type JsonSchema,
  PLUGIN_API_VERSION,
  type PluginDefinition,
} from './plugin.js';
import { CHECKER } from './well-known-tokens.js';

export interface CheckerPluginSpec<O extends object> {
  /** The plugin's name (`meta.name`). */
  name: string;
  version: string;
  description: string;
  /**
   * Its checks matter only when following: the plugin declares `checker.incremental`, and the
   * kernel runs its checkers only in `mode: full+incremental`.
   */
  followingOnly?: boolean;
  configSchema?: JsonSchema;
  defaultOptions?: O;
  /** The checkers the plugin registers, in report order, made from its frozen options. */
  checkers(options: FrozenOptions<O>): Checker[];
}

/**
 * Declares a checker plugin: definePlugin with kind `checker`, the current plugin API,
 * `checker.report` (and `checker.incremental` when followingOnly), registering each checker under
 * CHECKER.
 */
export function defineChecker<O extends object = Record<string, unknown>>(
  spec: CheckerPluginSpec<O>,
): PluginDefinition<O> {
  return definePlugin<O>({
    meta: {
      name: spec.name,
      version: spec.version,
      kind: 'checker',
      apiVersion: PLUGIN_API_VERSION,
      description: spec.description,
    },
    capabilities: spec.followingOnly
      ? [Capability.checker.report, Capability.checker.incremental]
      : [Capability.checker.report],
    ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    ...(spec.defaultOptions ? { defaultOptions: spec.defaultOptions } : {}),
    register(r) {
      for (const checker of spec.checkers(r.options)) r.value(CHECKER, checker);
    },
  });
}
