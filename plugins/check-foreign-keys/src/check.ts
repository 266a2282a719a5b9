import {
  checkResult,
  GuardedChecker,
  listNames,
  querySelectedTables,
  SELECTED_TABLES_SQL,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

interface Missing {
  schema: string;
  name: string;
  constraint: string;
  ref_schema: string;
  ref_name: string;
}

/**
 * A partial selection must be closed under foreign keys: the target cannot create a foreign key
 * to a table that is not migrated.
 */
export class ForeignKeysChecker extends GuardedChecker {
  readonly id = 'selection.foreign-keys';
  readonly title = 'Tables referenced by foreign keys are selected';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const missing = await querySelectedTables<Missing>(
      ctx.source,
      ctx.selection,
      `WITH sel AS (${SELECTED_TABLES_SQL})
         SELECT cn.nspname AS schema, c.relname AS name, con.conname AS constraint,
                rn.nspname AS ref_schema, r.relname AS ref_name
           FROM pg_constraint con
           JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
           JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
           JOIN sel ON sel.nspname = cn.nspname AND sel.relname = c.relname
          WHERE con.contype = 'f'
            AND NOT EXISTS (SELECT 1 FROM sel s2 WHERE s2.nspname = rn.nspname AND s2.relname = r.relname)
          ORDER BY 4, 5, 1, 2`,
      { partialOnly: true },
    );
    if (missing.length === 0)
      return checkResult(this, 'pass', 'every table referenced by a selected table is selected too');
    const referenced = [...new Set(missing.map((m) => `${m.database}.${m.ref_schema}.${m.ref_name}`))];
    return checkResult(
      this,
      'failed',
      `selected tables reference tables that are not selected: ${listNames(
        missing.map(
          (m) => `${m.database}.${m.schema}.${m.name} (${m.constraint}) -> ${m.ref_schema}.${m.ref_name}`,
        ),
      )}`,
      [
        'add the referenced tables to the selection:',
        `objects.include: [..., ${referenced.map((t) => JSON.stringify(t)).join(', ')}]`,
        'or leave the referencing tables out of it',
      ].join('\n'),
      { missing: referenced },
    );
  }
}
