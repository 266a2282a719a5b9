import { checkResult, guardCheck, targetOlderProblem } from '@pgshift/pg';
import { type CheckContext, type Checker, type CheckResult, rangeCovers } from '@pgshift/plugin-api';

/**
 * The source version is covered by a policy that allows the chosen mode, and the target is not an
 * older major (a dump of a newer server does not restore into an older one).
 */
export class VersionsChecker implements Checker {
  readonly id = 'versions';
  readonly title = 'Server versions';

  async run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return guardCheck(this, async () => {
      const [source, target] = await Promise.all([ctx.source.version(), ctx.target.version()]);
      const problems: string[] = [];
      const remedies: string[] = [];
      const policy = ctx.policy;
      if (!policy || !rangeCovers(policy.covers, source.num)) {
        problems.push(
          `no version policy covers the source's PostgreSQL ${source.text} (server_version_num ${source.num})`,
        );
        remedies.push(
          `add a version policy plugin that covers ${source.num} to \`plugins\` in the config, or upgrade the source to a covered version`,
        );
      } else if (ctx.mode === 'full+incremental') {
        const caps = ctx.capabilities ?? policy.capabilities(source.num);
        if (!caps.incremental) {
          problems.push(
            `${policy.name} does not allow following changes on PostgreSQL ${source.text}: ${caps.incrementalUnavailableReason ?? 'no decoder is available'}`,
          );
          remedies.push('set `mode: full` in the config');
        }
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
    });
  }
}
