import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';
import { checkResult } from './result.js';

/** Whether this migration will follow the source: the mode asks for it and the version allows it. */
export function follows(ctx: CheckContext): boolean {
  return ctx.mode === 'full+incremental' && ctx.capabilities?.incremental !== false;
}

/**
 * For checks about following: a Pass that says why there is nothing to check when the source's
 * version cannot be followed at all (9.3: no logical decoding), instead of queries against
 * catalogs that version does not have. The source.version-policy item carries the refusal.
 */
export async function unlessUnfollowable(
  checker: Pick<Checker, 'id' | 'title'>,
  ctx: CheckContext,
  body: () => Promise<CheckResult | CheckResult[]>,
): Promise<CheckResult | CheckResult[]> {
  if (ctx.mode === 'full+incremental' && ctx.capabilities?.incremental === false) {
    const version = await ctx.source.version();
    return checkResult(
      checker,
      'pass',
      `does not apply: PostgreSQL ${version.text} cannot be followed (see source.version-policy)`,
    );
  }
  return body();
}
