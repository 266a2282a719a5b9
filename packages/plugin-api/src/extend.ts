import { LOADER_METHODS, type Loader } from './loader.js';
import { REPLICATOR_METHODS, type Replicator } from './replicator.js';

/** Replacements for some methods of `T`; each gets the method's arguments and then the base to delegate to. */
export type Overrides<T> = {
  [K in keyof T]?: T[K] extends ((...args: infer A) => infer R) | undefined
    ? (...args: [...A, T]) => R
    : never;
};

/**
 * An object that does what `base` does, except the methods given in `overrides`. Written against
 * the interface only: the base's own methods run with the base as `this`, so classes with private
 * state delegate correctly (a spread `{ ...base }` would lose their methods).
 */
function extend<T extends object>(base: T, methods: readonly (keyof T)[], overrides: Overrides<T>): T {
  const out: Record<PropertyKey, unknown> = {};
  for (const name of methods) {
    const own = (base as Record<PropertyKey, unknown>)[name as PropertyKey];
    const override = overrides[name] as ((...args: unknown[]) => unknown) | undefined;
    if (override) out[name as PropertyKey] = (...args: unknown[]) => override(...args, base);
    else if (typeof own === 'function')
      out[name as PropertyKey] = (own as (...a: unknown[]) => unknown).bind(base);
  }
  return out as T;
}

/**
 * A loader built on another (typically `registrar.resolve(BUILT_IN_LOADER)()`), with the phases
 * you change:
 *
 * ```ts
 * extendLoader(base, { async copyData(ctx, base) { const s = await base.copyData(ctx); ...; return s; } })
 * ```
 */
export function extendLoader(base: Loader, overrides: Overrides<Loader>): Loader {
  return extend(base, LOADER_METHODS, overrides);
}

/** A replicator built on another (typically `registrar.resolve(BUILT_IN_REPLICATOR)(options)`). */
export function extendReplicator(base: Replicator, overrides: Overrides<Replicator>): Replicator {
  return extend(base, REPLICATOR_METHODS, overrides);
}
