import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';
import { guardCheck } from './result.js';

/** A checker whose `check` may throw: a server problem becomes a Failed item (guardCheck), never an exception. */
export abstract class GuardedChecker implements Checker {
  abstract readonly id: string;
  abstract readonly title: string;

  run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return guardCheck(this, () => this.check(ctx));
  }

  /** The check itself. */
  protected abstract check(ctx: CheckContext): Promise<CheckResult | CheckResult[]>;
}
