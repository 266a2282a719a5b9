import {
  alterEachTable,
  checkResult,
  FollowingChecker,
  listNames,
  querySelectedTables,
  selectedTablesWhere,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/**
 * Updates and deletes are decoded with the old row's replica identity: a table with neither a
 * primary key nor another replica identity cannot have them followed.
 */
export class TablesWithoutKeyChecker extends FollowingChecker {
  readonly id = 'source.tables-without-key';
  readonly title = 'Tables without primary key or replica identity';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const found = await querySelectedTables<{ schema: string; name: string }>(
      ctx.source,
      ctx.selection,
      selectedTablesWhere(`c.relkind = 'r'
          AND (c.relreplident = 'n'
               OR (c.relreplident = 'd' AND NOT EXISTS
                    (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))
               OR (c.relreplident = 'i' AND NOT EXISTS
                    (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)))`),
    );
    if (found.length === 0)
      return checkResult(this, 'pass', 'every selected table has a primary key or a replica identity');
    const remedy = alterEachTable(
      'add a primary key, or make the whole row the identity, on the source:',
      found,
      'REPLICA IDENTITY FULL',
    );
    return checkResult(
      this,
      'warning',
      `${found.length} selected table(s) have no primary key or replica identity, so their updates and deletes cannot be followed` +
        // With pgoutput the publication makes PostgreSQL refuse those statements outright.
        (ctx.capabilities?.decoder?.publication
          ? ', and while the migration publication exists UPDATE and DELETE on them fail on the source for every session'
          : '') +
        `: ${listNames(found.map((t) => `${t.database}.${t.schema}.${t.name}`))}`,
      remedy.join('\n'),
      { tables: found },
    );
  }
}
