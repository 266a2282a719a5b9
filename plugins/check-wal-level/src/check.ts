import { checkResult, guardCheck, unlessUnfollowable } from '@pgshift/pg';
import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';

/** Logical decoding needs wal_level = logical on the source. */
export class WalLevelChecker implements Checker {
  readonly id = 'source.wal-level';
  readonly title = 'wal_level = logical on the source';

  appliesTo(ctx: CheckContext): boolean {
    return ctx.mode === 'full+incremental';
  }

  async run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return unlessUnfollowable(this, ctx, () =>
      guardCheck(this, async () => {
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
      }),
    );
  }
}
