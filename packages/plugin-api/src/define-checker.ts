import { Capability } from './capabilities.js';
import type { Checker } from './checker.js';
import { definePluginOfKind, type KindSpec } from './define-kind.js';
import type { FrozenOptions, PluginDefinition } from './plugin.js';
import { CHECKER } from './well-known-tokens.js';

export interface CheckerPluginSpec<O extends object> extends KindSpec<O> {
  /**
   * Its checks matter only when following: the plugin declares `checker.incremental`, and the
   * kernel runs its checkers only in `mode: full+incremental`.
   */
  followingOnly?: boolean;
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
  const capabilities = spec.followingOnly
    ? [Capability.checker.report, Capability.checker.incremental]
    : [Capability.checker.report];
  return definePluginOfKind<O>('checker', spec, capabilities, (r) => {
    for (const checker of spec.checkers(r.options)) r.value(CHECKER, checker);
  });
}
