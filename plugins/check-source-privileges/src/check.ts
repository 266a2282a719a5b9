import {
  checkResult,
  connectionUser,
  follows,
  GuardedChecker,
  listNames,
  qualified,
  quoteIdent,
  SELECTED_TABLES_SQL,
  selectedTableParams,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

interface Gap {
  schema: string;
  name: string;
  kind: 'table' | 'sequence';
  usage: boolean;
  select: boolean;
  owned: boolean;
}

/**
 * The source role can read every selected table and the sequences of their schemas; when
 * following it has REPLICATION (or is superuser), and for pgoutput it can create the publication
 * (CREATE on the database and ownership of the tables).
 */
export class SourcePrivilegesChecker extends GuardedChecker {
  readonly id = 'source.privileges';
  readonly title = 'Privileges of the source role';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const user = connectionUser(ctx.source);
    const role = quoteIdent(user);
    const problems: string[] = [];
    const remedy: string[] = [];
    const { rows } = await ctx.source.query<{ super: boolean; replication: boolean }>(
      'SELECT rolsuper AS super, rolreplication AS replication FROM pg_roles WHERE rolname = current_user',
    );
    const attrs = rows[0] ?? { super: false, replication: false };
    const following = follows(ctx);
    if (following && !attrs.super && !attrs.replication) {
      problems.push(`role ${user} has neither REPLICATION nor SUPERUSER`);
      remedy.push(`ALTER ROLE ${role} REPLICATION;`);
    }
    const publication = following && ctx.capabilities?.decoder?.publication === true && !attrs.super;
    for (const db of ctx.selection.databases) {
      const gaps = await ctx.source.query<Gap>(
        `WITH sel AS (${SELECTED_TABLES_SQL}),
              rels AS (
                SELECT c.oid, n.oid AS nsp, n.nspname, c.relname, 'table' AS kind
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN sel ON sel.nspname = n.nspname AND sel.relname = c.relname
                 WHERE c.relkind IN ('r', 'p')
                UNION ALL
                SELECT c.oid, n.oid, n.nspname, c.relname, 'sequence'
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'S' AND n.nspname IN (SELECT nspname FROM sel))
         SELECT nspname AS schema, relname AS name, kind,
                has_schema_privilege(nsp, 'USAGE') AS usage,
                CASE WHEN kind = 'table' THEN has_table_privilege(oid, 'SELECT')
                     ELSE has_sequence_privilege(oid, 'SELECT') END AS select,
                pg_has_role((SELECT relowner FROM pg_class WHERE pg_class.oid = rels.oid), 'USAGE') AS owned
           FROM rels ORDER BY 1, 2`,
        selectedTableParams(db),
        { database: db.name },
      );
      const unreadable = gaps.rows.filter((g) => !g.usage || !g.select);
      if (unreadable.length > 0) {
        problems.push(
          `in ${db.name}, ${user} cannot read ${listNames(unreadable.map((g) => `${g.schema}.${g.name}`))}`,
        );
        remedy.push(`-- in database ${db.name}:`);
        for (const schema of new Set(unreadable.filter((g) => !g.usage).map((g) => g.schema)))
          remedy.push(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${role};`);
        for (const g of unreadable)
          remedy.push(
            `GRANT SELECT ON ${g.kind === 'sequence' ? 'SEQUENCE ' : ''}${qualified(g.schema, g.name)} TO ${role};`,
          );
      }
      if (publication) {
        const create = await ctx.source.query<{ create: boolean }>(
          "SELECT has_database_privilege(current_database(), 'CREATE') AS create",
          [],
          { database: db.name },
        );
        const notOwned = gaps.rows.filter((g) => g.kind === 'table' && !g.owned);
        if (!create.rows[0]?.create || notOwned.length > 0) {
          problems.push(
            `in ${db.name}, ${user} cannot create the publication pgoutput needs (it needs CREATE on the database and ownership of the published tables)`,
          );
          remedy.push(`-- in database ${db.name}, as a superuser:`);
          if (!create.rows[0]?.create)
            remedy.push(`GRANT CREATE ON DATABASE ${quoteIdent(db.name)} TO ${role};`);
          for (const g of notOwned)
            remedy.push(`ALTER TABLE ${qualified(g.schema, g.name)} OWNER TO ${role};`);
          remedy.push('-- or connect to the source as a superuser');
        }
      }
    }
    if (problems.length > 0)
      return checkResult(this, 'failed', problems.join('; '), remedy.join('\n'), { user });
    return checkResult(
      this,
      'pass',
      `${user} can read the selected tables and sequences${following ? ' and may replicate' : ''}`,
    );
  }
}
