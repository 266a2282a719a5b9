import type { TestContext } from 'vitest';

/** Options every conformance suite takes. */
export interface SuiteOptions {
  /** PostgreSQL majors to run the server-backed tests on (default: [17]; [] runs none). */
  majors?: number[];
  /**
   * Tests to skip, by name (the name without the PostgreSQL major), each with the reason a user
   * would accept. In strict mode a bypass without a reason fails the test instead.
   */
  bypass?: Record<string, string>;
  /**
   * Strict mode: a test whose capability the plugin does not declare fails instead of skipping
   * (unless bypassed with a reason), and so does a bypass without a reason.
   */
  strict?: boolean;
}

export const DEFAULT_MAJORS: readonly number[] = [17];

export function majorsOf(options: SuiteOptions): number[] {
  return [...(options.majors ?? DEFAULT_MAJORS)];
}

/** What a test needs from the plugin before it can run. */
export interface Requirement {
  capability: string;
  declared: readonly string[];
}

/**
 * Applies bypasses and capability gating at the start of a test: it skips with a reason, or in
 * strict mode fails, and otherwise returns so the test runs.
 */
export function gate(ctx: TestContext, name: string, options: SuiteOptions, requirement?: Requirement): void {
  const bypass = options.bypass?.[name];
  if (bypass !== undefined) {
    if (bypass.trim().length === 0) {
      if (options.strict)
        throw new Error(
          `strict mode: the bypass of "${name}" gives no reason; say why the test does not apply`,
        );
      ctx.skip('bypassed (no reason given)');
    }
    ctx.skip(`bypassed: ${bypass}`);
  }
  if (requirement && !requirement.declared.includes(requirement.capability)) {
    if (options.strict)
      throw new Error(
        `strict mode: the plugin does not declare ${requirement.capability}, so "${name}" cannot run; declare the capability or bypass the test with a reason`,
      );
    ctx.skip(`the plugin does not declare ${requirement.capability}`);
  }
}
