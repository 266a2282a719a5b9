import { checkResult, connectionUser, GuardedChecker, quoteIdent } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/**
 * The target role can create what the migration creates: the databases that do not exist yet
 * (CREATEDB) and schemas and tables in those that do (CREATE on the database).
 */
export class TargetPrivilegesChecker extends GuardedChecker {
  readonly id = 'target.privileges';
  readonly title = 'Privileges of the target role';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const user = connectionUser(ctx.target);
    const role = quoteIdent(user);
    const names = ctx.selection.databases.map((d) => d.name);
    const { rows } = await ctx.target.query<{
      super: boolean;
      createdb: boolean;
      existing: string[] | string | null;
      creatable: string[] | string | null;
    }>(
      `SELECT r.rolsuper AS super, r.rolcreatedb AS createdb,
              (SELECT array_agg(datname ORDER BY datname)::text FROM pg_database WHERE datname = ANY($1)) AS existing,
              (SELECT array_agg(datname ORDER BY datname)::text FROM pg_database
                WHERE datname = ANY($1) AND has_database_privilege(datname, 'CREATE')
                  AND has_database_privilege(datname, 'CONNECT')) AS creatable
         FROM pg_roles r WHERE r.rolname = current_user`,
      [names],
    );
    const row = rows[0];
    if (!row)
      return checkResult(this, 'failed', `role ${user} was not found on the target`, 'check target.user');
    if (row.super) return checkResult(this, 'pass', `${user} is a superuser on the target`);
    const existing = new Set(textArray(row.existing));
    const creatable = new Set(textArray(row.creatable));
    const missing = names.filter((n) => !existing.has(n));
    const closed = names.filter((n) => existing.has(n) && !creatable.has(n));
    const problems: string[] = [];
    const remedy: string[] = ['on the target, as a superuser:'];
    if (missing.length > 0 && !row.createdb) {
      problems.push(`${user} may not create the databases ${missing.join(', ')} (no CREATEDB)`);
      remedy.push(`ALTER ROLE ${role} CREATEDB;`);
      for (const db of missing)
        remedy.push(`-- or create it for the role: CREATE DATABASE ${quoteIdent(db)} OWNER ${role};`);
    }
    if (closed.length > 0) {
      problems.push(`${user} may not connect to or create objects in ${closed.join(', ')}`);
      for (const db of closed) remedy.push(`GRANT CONNECT, CREATE ON DATABASE ${quoteIdent(db)} TO ${role};`);
    }
    if (problems.length > 0) return checkResult(this, 'failed', problems.join('; '), remedy.join('\n'));
    return checkResult(this, 'pass', `${user} can create the databases and objects to migrate`);
  }
}

/** Parses the `{a,b}` text of a text[] (kept as text by the exact type parsers). */
function textArray(value: string[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  const inner = value.slice(1, -1);
  if (inner.length === 0) return [];
  const out: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|([^,]+)/g;
  for (const match of inner.matchAll(pattern))
    out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  return out;
}
