import {
  checkResult,
  GuardedChecker,
  listNames,
  qualified,
  quoteIdent,
  SELECTED_TABLES_SQL,
  selectedTableParams,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

interface Existing {
  schema: string;
  name: string;
  kind: string;
}

const KIND_SQL = `CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'TABLE' WHEN 'v' THEN 'VIEW'
  WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' END`;

/**
 * Objects to migrate must not exist on the target already. A whole database goes into a target
 * database that has no objects of its own; selected tables must not meet tables of the same name.
 */
export class TargetConflictsChecker extends GuardedChecker {
  readonly id = 'target.conflicts';
  readonly title = 'Objects already on the target';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const names = ctx.selection.databases.map((d) => d.name);
    const { rows: present } = await ctx.target.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1)',
      [names],
    );
    const existing = new Set(present.map((r) => r.datname));
    const conflicts: Array<Existing & { database: string }> = [];
    for (const db of ctx.selection.databases) {
      if (!existing.has(db.name)) continue;
      const whole = db.whole || ctx.selection.wholeInstance;
      // Objects that belong to an extension come with it and are not conflicts.
      const { rows } = await ctx.target.query<Existing>(
        `WITH sel AS (${SELECTED_TABLES_SQL})
         SELECT n.nspname AS schema, c.relname AS name, ${KIND_SQL} AS kind
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                              AND d.objid = c.oid AND d.deptype = 'e')
            AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                              AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
            AND ($3 OR EXISTS (SELECT 1 FROM sel WHERE sel.nspname = n.nspname AND sel.relname = c.relname))
          ORDER BY 1, 2`,
        [...selectedTableParams(db), whole],
        { database: db.name },
      );
      for (const row of rows) conflicts.push({ database: db.name, ...row });
    }
    if (conflicts.length === 0)
      return checkResult(
        this,
        'pass',
        existing.size === 0
          ? 'none of the databases to migrate exists on the target'
          : 'the target has no objects under the names to migrate',
      );
    const remedy = [
      'migrate into an empty target: drop the objects on the target (this deletes their data), or choose another target database:',
    ];
    let current = '';
    for (const c of conflicts) {
      if (c.database !== current) {
        current = c.database;
        remedy.push(`-- on the target, in database ${current}:`);
      }
      remedy.push(`DROP ${c.kind} ${qualified(c.schema, c.name)} CASCADE;`);
    }
    const wholeDbs = ctx.selection.databases.filter(
      (d) => (d.whole || ctx.selection.wholeInstance) && existing.has(d.name),
    );
    for (const d of wholeDbs)
      remedy.push(`-- or, from another database: DROP DATABASE ${quoteIdent(d.name)};`);
    return checkResult(
      this,
      'failed',
      `the target already has ${conflicts.length} object(s) with the names to migrate: ${listNames(conflicts.map((c) => `${c.database}.${c.schema}.${c.name}`))}`,
      remedy.join('\n'),
      { conflicts },
    );
  }
}
