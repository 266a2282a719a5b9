import {
  checkResult,
  follows,
  guardCheck,
  listNames,
  qualified,
  SELECTED_TABLES_SQL,
  selectedTableParams,
} from '@pgshift/pg';
import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';

/**
 * Unlogged tables write no WAL: their changes never reach logical decoding (Failed when
 * following), and a full copy creates them unlogged on the target too (Warning).
 */
export class UnloggedTablesChecker implements Checker {
  readonly id = 'source.unlogged-tables';
  readonly title = 'Unlogged tables';

  async run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return guardCheck(this, async () => {
      const found: Array<{ database: string; schema: string; name: string }> = [];
      for (const db of ctx.selection.databases) {
        const { rows } = await ctx.source.query<{ schema: string; name: string }>(
          `WITH sel AS (${SELECTED_TABLES_SQL})
           SELECT n.nspname AS schema, c.relname AS name
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN sel ON sel.nspname = n.nspname AND sel.relname = c.relname
            WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'u'
            ORDER BY 1, 2`,
          selectedTableParams(db),
          { database: db.name },
        );
        for (const row of rows) found.push({ database: db.name, ...row });
      }
      if (found.length === 0) return checkResult(this, 'pass', 'no selected table is unlogged');
      const names = listNames(found.map((t) => `${t.database}.${t.schema}.${t.name}`));
      const remedy = ['make them logged on the source (PostgreSQL 9.5 and later; rewrites each table):'];
      let current = '';
      for (const t of found) {
        if (t.database !== current) {
          current = t.database;
          remedy.push(`-- in database ${current}:`);
        }
        remedy.push(`ALTER TABLE ${qualified(t.schema, t.name)} SET LOGGED;`);
      }
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
    });
  }
}
