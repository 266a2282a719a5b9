import type { CheckContext, CheckResult } from '@pgshift/plugin-api';
import { unlessUnfollowable } from './following.js';
import { GuardedChecker } from './guarded-checker.js';

/**
 * A check about following: it applies only in mode full+incremental, passes saying why where the
 * source's version cannot be followed at all, and turns what `check` throws into a Failed item.
 */
export abstract class FollowingChecker extends GuardedChecker {
  appliesTo(ctx: CheckContext): boolean {
    return ctx.mode === 'full+incremental';
  }

  override run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return unlessUnfollowable(this, ctx, () => super.run(ctx));
  }
}
