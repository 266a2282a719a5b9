import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';
import { unlessUnfollowable } from './following.js';
import { guardCheck } from './result.js';

/**
 * A check about following: it applies only in mode full+incremental, passes saying why where the
 * source's version cannot be followed at all, and turns what `check` throws into a Failed item.
 */
export abstract class FollowingChecker implements Checker {
  abstract readonly id: string;
  abstract readonly title: string;

  appliesTo(ctx: CheckContext): boolean {
    return ctx.mode === 'full+incremental';
  }

  run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return unlessUnfollowable(this, ctx, () => guardCheck(this, () => this.check(ctx)));
  }

  /** The check itself, on a source whose version can be followed. */
  protected abstract check(ctx: CheckContext): Promise<CheckResult | CheckResult[]>;
}
