import {
  checkResult,
  guardCheck,
  listNames,
  qualified,
  SELECTED_TABLES_SQL,
  selectedTableParams,
  unlessUnfollowable,
} from '@pgshift/pg';
import type { CheckContext, Checker, CheckResult } from '@pgshift/plugin-api';

/**
 * Updates and deletes are decoded with the old row's replica identity: a table with neither a
 * primary key nor another replica identity cannot have them followed.
 */
export class TablesWithoutKeyChecker implements Checker {
  readonly id = 'source.tables-without-key';
  readonly title = 'Tables without primary key or replica identity';

  appliesTo(ctx: CheckContext): boolean {
    return ctx.mode === 'full+incremental';
  }

  async run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return unlessUnfollowable(this, ctx, () =>
      guardCheck(this, async () => {
        const found: Array<{ database: string; schema: string; name: string }> = [];
        for (const db of ctx.selection.databases) {
          const { rows } = await ctx.source.query<{ schema: string; name: string }>(
            `WITH sel AS (${SELECTED_TABLES_SQL})
           SELECT n.nspname AS schema, c.relname AS name
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN sel ON sel.nspname = n.nspname AND sel.relname = c.relname
            WHERE c.relkind = 'r'
              AND (c.relreplident = 'n'
                   OR (c.relreplident = 'd' AND NOT EXISTS
                        (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))
                   OR (c.relreplident = 'i' AND NOT EXISTS
                        (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)))
            ORDER BY 1, 2`,
            selectedTableParams(db),
            { database: db.name },
          );
          for (const row of rows) found.push({ database: db.name, ...row });
        }
        if (found.length === 0)
          return checkResult(this, 'pass', 'every selected table has a primary key or a replica identity');
        const remedy = ['add a primary key, or make the whole row the identity, on the source:'];
        let current = '';
        for (const t of found) {
          if (t.database !== current) {
            current = t.database;
            remedy.push(`-- in database ${current}:`);
          }
          remedy.push(`ALTER TABLE ${qualified(t.schema, t.name)} REPLICA IDENTITY FULL;`);
        }
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
      }),
    );
  }
}
