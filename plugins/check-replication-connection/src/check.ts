import {
  checkResult,
  clientHostFromError,
  connectionUser,
  describeError,
  errorCode,
  FollowingChecker,
  followedDatabases,
  isHbaRejection,
  isReplicationPrivilegeError,
  quoteIdent,
  replicationFailures,
  replicationHbaLine,
  versionNumOrCurrent,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/** A logical replication (walsender) connection opens to every selected database. */
export class ReplicationConnectionChecker extends FollowingChecker {
  readonly id = 'source.replication-connection';
  readonly title = 'Replication connection to the source';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const user = connectionUser(ctx.source);
    const databases = followedDatabases(ctx);
    const failures = await replicationFailures(ctx.source, databases, (s) => s.query('IDENTIFY_SYSTEM'));
    if (failures.length === 0)
      return checkResult(this, 'pass', `replication connections open as ${user} to ${databases.join(', ')}`);
    const versionNum = await versionNumOrCurrent(ctx.source);
    const remedy = new Set<string>();
    for (const { database, error } of failures) {
      if (isHbaRejection(error)) {
        remedy.add('add to pg_hba.conf on the source, then reload (SELECT pg_reload_conf();):');
        remedy.add(replicationHbaLine(versionNum, database, user, clientHostFromError(error)));
      } else if (isReplicationPrivilegeError(error)) {
        remedy.add(`ALTER ROLE ${quoteIdent(user)} REPLICATION;  -- on the source, as a superuser`);
      } else if (errorCode(error) === '53300') {
        remedy.add(
          'raise max_wal_senders on the source (ALTER SYSTEM SET max_wal_senders = ...; then restart), or end other replication connections',
        );
      } else {
        remedy.add(
          `make sure the source accepts replication connections from this machine as ${user} (see source.connectivity)`,
        );
      }
    }
    const message = failures.map((f) => `${f.database}: ${describeError(f.error)}`).join('; ');
    return checkResult(
      this,
      'failed',
      `could not open a replication connection: ${message}`,
      [...remedy].join('\n'),
    );
  }
}
