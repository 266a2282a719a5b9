import { probeConnectivity } from '@pgshift/pg';
import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';

/** The source answers an ordinary connection through its route. */
export class SourceConnectivityChecker implements Checker {
  readonly id = 'source.connectivity';
  readonly title = 'Connection to the source';

  async run(ctx: CheckContext): Promise<CheckResult> {
    return probeConnectivity(this, ctx.source);
  }
}
