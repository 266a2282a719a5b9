import { checkResult, FollowingChecker } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/** Logical decoding does not decode large objects, so changes to them are not followed. */
export class LargeObjectsChecker extends FollowingChecker {
  readonly id = 'source.large-objects';
  readonly title = 'Large objects';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const found: Array<{ database: string; count: string }> = [];
    for (const db of ctx.selection.databases) {
      const { rows } = await ctx.source.query<{ count: string }>(
        'SELECT count(*) AS count FROM pg_largeobject_metadata',
        [],
        { database: db.name },
      );
      const count = rows[0]?.count ?? '0';
      if (count !== '0') found.push({ database: db.name, count });
    }
    if (found.length === 0) return checkResult(this, 'pass', 'the selected databases hold no large objects');
    return checkResult(
      this,
      'warning',
      `large objects are not carried by incremental sync (logical decoding skips them): ${found.map((f) => `${f.count} in ${f.database}`).join(', ')}`,
      [
        'keep large objects unchanged from the start of the migration until cut-over, or store the data in bytea columns instead;',
        'after cut-over compare on both sides: SELECT count(*) FROM pg_largeobject_metadata;',
      ].join('\n'),
      { databases: found },
    );
  }
}
