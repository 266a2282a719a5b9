import { checkResult, FollowingChecker, hasFeature, quoteLiteral } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

interface Capacity {
  max_slots: number;
  used_slots: number;
  max_senders: number;
  used_senders: number;
}

/** One slot and one WAL sender per migrated database must be free on the source. */
export class ReplicationSlotsChecker extends FollowingChecker {
  readonly id = 'source.replication-slots';
  readonly title = 'Free replication slots and WAL senders on the source';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const needed = Math.max(1, ctx.selection.databases.length);
    const version = await ctx.source.version();
    // backend_type exists from 10 on; before, pg_stat_replication lists the WAL senders.
    const senders = hasFeature(version.num, 'walFunctionNames')
      ? "SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'walsender'"
      : 'SELECT count(*)::int FROM pg_stat_replication';
    const { rows } = await ctx.source.query<Capacity>(
      `SELECT current_setting('max_replication_slots')::int AS max_slots,
            (SELECT count(*)::int FROM pg_replication_slots) AS used_slots,
            current_setting('max_wal_senders')::int AS max_senders,
            (${senders}) AS used_senders`,
    );
    const c = rows[0]!;
    const freeSlots = c.max_slots - c.used_slots;
    const freeSenders = c.max_senders - c.used_senders;
    const facts = `${freeSlots} of ${c.max_slots} replication slots and ${freeSenders} of ${c.max_senders} WAL senders are free; ${needed} of each are needed (one per database to migrate)`;
    if (freeSlots >= needed && freeSenders >= needed)
      return checkResult(this, 'pass', facts, undefined, { ...c, needed });
    const remedy: string[] = ['-- on the source, as a superuser:'];
    if (freeSlots < needed) remedy.push(`ALTER SYSTEM SET max_replication_slots = ${c.used_slots + needed};`);
    if (freeSenders < needed) remedy.push(`ALTER SYSTEM SET max_wal_senders = ${c.used_senders + needed};`);
    remedy.push('-- then restart PostgreSQL: both settings take effect only at server start');
    if (freeSlots < needed) {
      const inactive = await ctx.source.query<{ slot_name: string }>(
        'SELECT slot_name FROM pg_replication_slots WHERE NOT active ORDER BY slot_name',
      );
      if (inactive.rows.length > 0) {
        remedy.push('-- or, if they are no longer needed, drop inactive slots:');
        for (const { slot_name } of inactive.rows)
          remedy.push(`SELECT pg_drop_replication_slot(${quoteLiteral(slot_name)});`);
      }
    }
    return checkResult(this, 'failed', facts, remedy.join('\n'), { ...c, needed });
  }
}
