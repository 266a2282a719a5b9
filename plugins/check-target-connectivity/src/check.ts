import { probeConnectivity } from '@pgshift/pg';
import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';

/** The source answers an ordinary connection through its route. */
export class TargetConnectivityChecker implements Checker {
  readonly id = 'target.connectivity';
  readonly title = 'Connection to the target';

  async run(ctx: CheckContext): Promise<CheckResult> {
    return probeConnectivity(this, ctx.target);
  }
}
