import {
  alterEachTable,
  checkResult,
  GuardedChecker,
  listNames,
  querySelectedTables,
  quoteIdent,
  SELECTED_TABLES_SQL,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

interface Found {
  schema: string;
  name: string;
  kind: 'rule' | 'trigger';
  object: string;
  body: string | null;
}

/** A trigger function body that writes rows (or runs dynamic SQL, which may). */
const WRITES =
  /\b(insert\s+into|update\s+[\w."]+\s+set|delete\s+from|merge\s+into|copy\s+[\w."]+\s+from|execute)\b/i;

/**
 * Rules rewrite statements and triggers may write to other tables: replayed on the target they
 * can apply a change twice or differently. Triggers that only touch their own row are fine.
 */
export class RulesAndTriggersChecker extends GuardedChecker {
  readonly id = 'source.rules-and-triggers';
  readonly title = 'Tables with rules, or with triggers that write to other tables';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const found = (
      await querySelectedTables<Found>(
        ctx.source,
        ctx.selection,
        `WITH sel AS (${SELECTED_TABLES_SQL}),
              tabs AS (SELECT c.oid, n.nspname, c.relname FROM pg_class c
                         JOIN pg_namespace n ON n.oid = c.relnamespace
                         JOIN sel ON sel.nspname = n.nspname AND sel.relname = c.relname)
         SELECT tabs.nspname AS schema, tabs.relname AS name, 'rule' AS kind, r.rulename AS object, NULL AS body
           FROM pg_rewrite r JOIN tabs ON tabs.oid = r.ev_class WHERE r.rulename <> '_RETURN'
         UNION ALL
         SELECT tabs.nspname, tabs.relname, 'trigger', t.tgname, p.prosrc
           FROM pg_trigger t JOIN tabs ON tabs.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE NOT t.tgisinternal
          ORDER BY 1, 2, 3, 4`,
      )
    ).filter((row) => row.kind === 'rule' || WRITES.test(row.body ?? ''));
    if (found.length === 0)
      return checkResult(
        this,
        'pass',
        'no selected table has a rule or a trigger that writes to other tables',
      );
    const remedy = alterEachTable(
      'make sure the tables these rules and triggers write to are selected too, and keep them from firing a second time on the target while it follows the source:',
      found,
      (f) => `DISABLE ${f.kind === 'rule' ? 'RULE' : 'TRIGGER'} ${quoteIdent(f.object)}`,
      { onTarget: true },
    );
    remedy.push('and after cut-over turn them on again with ENABLE RULE / ENABLE TRIGGER');
    return checkResult(
      this,
      'warning',
      `changes may not apply as on the source: ${listNames(found.map((f) => `${f.kind} ${f.object} on ${f.database}.${f.schema}.${f.name}`))}`,
      remedy.join('\n'),
      { items: found.map(({ body: _body, ...rest }) => rest) },
    );
  }
}
