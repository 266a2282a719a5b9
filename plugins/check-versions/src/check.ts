import { checkResult, GuardedChecker, targetOlderProblem } from '@pgshift/pg';
import {
  type CheckContext,
  type CheckResult,
  modeRefusedProblem,
  rangeCovers,
  uncoveredSourceProblem,
} from '@pgshift/plugin-api';

/**
 * The source version is covered by a policy that allows the chosen mode, and the target is not an
 * older major (a dump of a newer server does not restore into an older one).
 */
export class VersionsChecker extends GuardedChecker {
  readonly id = 'versions';
  readonly title = 'Server versions';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const [source, target] = await Promise.all([ctx.source.version(), ctx.target.version()]);
    const problems: string[] = [];
    const remedies: string[] = [];
    const policy = ctx.policy && rangeCovers(ctx.policy.covers, source.num) ? ctx.policy : undefined;
    const policyProblem = policy
      ? modeRefusedProblem(policy, source, ctx.capabilities ?? policy.capabilities(source.num), ctx.mode)
      : uncoveredSourceProblem(source, ctx.policy ? [ctx.policy] : []);
    if (policyProblem) {
      problems.push(policyProblem.message);
      remedies.push(policyProblem.remedy);
    }
    const older = targetOlderProblem(source.num, target.num);
    if (older) {
      problems.push(older.message);
      remedies.push(older.remedy);
    }
    const details = { source: source.num, target: target.num, policy: policy?.name };
    if (problems.length > 0)
      return checkResult(this, 'failed', problems.join('; '), remedies.join('\n'), details);
    return checkResult(
      this,
      'pass',
      `source PostgreSQL ${source.text} is covered by ${policy!.name}; target PostgreSQL ${target.text}`,
      undefined,
      details,
    );
  }
}
