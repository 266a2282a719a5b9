import { checkResult, GuardedChecker, NON_USER_SCHEMAS_SQL, quoteIdent } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/** Roles the migrated objects name on the source: as owners, and as grantees. */
const NAMED_ROLES = `
WITH objects AS (
  SELECT c.relowner AS owner, c.relacl AS acl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ${NON_USER_SCHEMAS_SQL} AND n.nspname !~ '^pg_'
  UNION ALL
  SELECT n.nspowner, n.nspacl FROM pg_namespace n
   WHERE n.nspname NOT IN ${NON_USER_SCHEMAS_SQL} AND n.nspname !~ '^pg_' AND n.nspname <> 'public'
  UNION ALL
  SELECT p.proowner, p.proacl FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname NOT IN ${NON_USER_SCHEMAS_SQL} AND n.nspname !~ '^pg_'
  UNION ALL
  SELECT t.typowner, NULL FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname NOT IN ${NON_USER_SCHEMAS_SQL} AND n.nspname !~ '^pg_'
)
SELECT DISTINCT 'owner' AS how, r.rolname AS role FROM objects o JOIN pg_roles r ON r.oid = o.owner
UNION
SELECT DISTINCT 'grantee', r.rolname FROM objects o, aclexplode(o.acl) a JOIN pg_roles r ON r.oid = a.grantee
 WHERE o.acl IS NOT NULL`;

/**
 * With copyOwners or copyPrivileges and without copyRoles, the schema names the source's roles
 * (ALTER ... OWNER TO, GRANT ... TO): each must exist on the target, or the schema step fails.
 */
export class TargetRolesChecker extends GuardedChecker {
  readonly id = 'target.roles';
  readonly title = 'Roles the objects name exist on the target';

  appliesTo(ctx: CheckContext): boolean {
    const carries = ctx.carries;
    return carries !== undefined && (carries.owners || carries.privileges) && !carries.roles;
  }

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const wanted = new Set<string>();
    for (const database of ctx.selection.databases) {
      const { rows } = await ctx.source.query<{ how: string; role: string }>(NAMED_ROLES, [], {
        database: database.name,
      });
      for (const { how, role } of rows)
        if ((how === 'owner' && ctx.carries?.owners) || (how === 'grantee' && ctx.carries?.privileges))
          wanted.add(role);
    }
    const { rows } = await ctx.target.query<{ rolname: string }>('SELECT rolname FROM pg_roles');
    const present = new Set(rows.map((r) => r.rolname));
    const missing = [...wanted].filter((role) => !present.has(role)).sort();
    if (missing.length === 0)
      return checkResult(this, 'pass', `every role the objects name exists on the target (${wanted.size})`);
    const named =
      missing.length > 10
        ? `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more`
        : missing.join(', ');
    return checkResult(
      this,
      'failed',
      `the objects to migrate name roles the target does not have: ${named}; creating the schema would fail at the first of them`,
      [
        "set options.copyRoles: true to create the source's roles on the target first, or create them there:",
        ...missing.slice(0, 10).map((role) => `CREATE ROLE ${quoteIdent(role)};`),
        'or set options.copyOwners / options.copyPrivileges to false to leave owners and grants out',
      ].join('\n'),
    );
  }
}
