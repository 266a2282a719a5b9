import { checkResult, FollowingChecker } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/** Logical decoding needs wal_level = logical on the source. */
export class WalLevelChecker extends FollowingChecker {
  readonly id = 'source.wal-level';
  readonly title = 'wal_level = logical on the source';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const { rows } = await ctx.source.query<{ wal_level: string }>(
      "SELECT current_setting('wal_level') AS wal_level",
    );
    const level = rows[0]?.wal_level ?? 'unknown';
    if (level === 'logical') return checkResult(this, 'pass', 'wal_level is logical');
    return checkResult(
      this,
      'failed',
      `wal_level is ${level}; following changes needs logical`,
      [
        '-- on the source, as a superuser (or set it in postgresql.conf / the cloud console parameter group):',
        'ALTER SYSTEM SET wal_level = logical;',
        '-- then restart PostgreSQL: wal_level takes effect only at server start',
      ].join('\n'),
      { walLevel: level },
    );
  }
}
