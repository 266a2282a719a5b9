import {
  checkResult,
  clientHostFromError,
  connectionUser,
  describeError,
  FollowingChecker,
  followedDatabases,
  isHbaRejection,
  isNetworkError,
  replicationFailures,
  replicationHbaLine,
  versionNumOrCurrent,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/**
 * pg_hba.conf must admit logical replication connections. The proof is opening one to every
 * selected database: only a pg_hba rejection fails this item (a missing REPLICATION attribute or
 * a wrong password means pg_hba.conf already matched, and other items report those).
 */
export class PgHbaChecker extends FollowingChecker {
  readonly id = 'source.pg-hba-replication';
  readonly title = 'pg_hba.conf entry for replication on the source';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const user = connectionUser(ctx.source);
    const databases = followedDatabases(ctx);
    const rejected: Array<{ database: string; host: string | undefined }> = [];
    const unverified: string[] = [];
    for (const { database, error } of await replicationFailures(ctx.source, databases)) {
      if (isHbaRejection(error)) rejected.push({ database, host: clientHostFromError(error) });
      else if (isNetworkError(error)) unverified.push(`${database}: ${describeError(error)}`);
      // Any other error came after pg_hba.conf matched a line.
    }
    if (rejected.length > 0) {
      const versionNum = await versionNumOrCurrent(ctx.source);
      const lines = [
        ...new Set(rejected.map((r) => replicationHbaLine(versionNum, r.database, user, r.host))),
      ];
      const note =
        versionNum >= 100000
          ? 'PostgreSQL 10 and later match logical replication connections against ordinary database lines'
          : 'PostgreSQL 9.4 to 9.6 match logical replication connections only against `replication` lines';
      return checkResult(
        this,
        'failed',
        `pg_hba.conf rejects replication connections as ${user} to ${rejected.map((r) => r.database).join(', ')}`,
        [
          `add to pg_hba.conf on the source (${note}), above any line that rejects them:`,
          ...lines,
          'then reload: SELECT pg_reload_conf();',
        ].join('\n'),
        { rejected: rejected.map((r) => r.database) },
      );
    }
    if (unverified.length > 0)
      return checkResult(
        this,
        'warning',
        `could not verify pg_hba.conf because the source was not reached: ${unverified.join('; ')}`,
        'fix the connection to the source first (see source.connectivity), then run the check again',
      );
    return checkResult(
      this,
      'pass',
      `pg_hba.conf admits replication connections as ${user} to ${databases.join(', ')}`,
    );
  }
}
