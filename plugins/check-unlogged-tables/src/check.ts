import {
  alterEachTable,
  checkResult,
  follows,
  GuardedChecker,
  listNames,
  querySelectedTables,
  selectedTablesWhere,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/**
 * Unlogged tables write no WAL: their changes never reach logical decoding (Failed when
 * following), and a full copy creates them unlogged on the target too (Warning).
 */
export class UnloggedTablesChecker extends GuardedChecker {
  readonly id = 'source.unlogged-tables';
  readonly title = 'Unlogged tables';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const found = await querySelectedTables<{ schema: string; name: string }>(
      ctx.source,
      ctx.selection,
      selectedTablesWhere(`c.relkind IN ('r', 'p') AND c.relpersistence = 'u'`),
    );
    if (found.length === 0) return checkResult(this, 'pass', 'no selected table is unlogged');
    const names = listNames(found.map((t) => `${t.database}.${t.schema}.${t.name}`));
    const remedy = alterEachTable(
      'make them logged on the source (PostgreSQL 9.5 and later; rewrites each table):',
      found,
      'SET LOGGED',
    );
    remedy.push(
      `or leave them out of the migration: objects.exclude: [${found.map((t) => JSON.stringify(`${t.database}.${t.schema}.${t.name}`)).join(', ')}]`,
    );
    if (follows(ctx))
      return checkResult(
        this,
        'failed',
        `unlogged tables write no WAL, so their changes cannot be followed: ${names}`,
        remedy.join('\n'),
        { tables: found },
      );
    return checkResult(
      this,
      'warning',
      `unlogged tables are copied but stay unlogged on the target, where a crash empties them: ${names}`,
      remedy.join('\n'),
      { tables: found },
    );
  }
}
