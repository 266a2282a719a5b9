import { quoteIdent } from '../quote.js';
import type { DefaultAclRow, Grant } from './catalog-rows.js';
import { role, statement } from './sql-text.js';
import type { SchemaStatement } from './types.js';

/*
 * Owners and privileges, only when the options ask for them. Roles must already exist on the
 * target; a missing one fails with the statement's description.
 */

export function ownerDdl(alterTarget: string, owner: string, description: string): SchemaStatement {
  return statement(`ALTER ${alterTarget} OWNER TO ${quoteIdent(owner)}`, `owner of ${description}`);
}

/**
 * GRANTs that reproduce an object's ACL. A null ACL means the built-in defaults, which the new
 * object already has. Otherwise PUBLIC's defaults are revoked first and every grant but the
 * owner's own (implicit) is repeated.
 */
export function grantDdl(
  grantTarget: string,
  acl: Grant[] | null,
  owner: string | null,
  description: string,
  column?: string,
): SchemaStatement[] {
  if (acl === null) return [];
  const out: SchemaStatement[] = [];
  if (column === undefined)
    out.push(statement(`REVOKE ALL ON ${grantTarget} FROM PUBLIC`, `privileges on ${description}`));
  const columns = column === undefined ? '' : ` (${quoteIdent(column)})`;
  for (const g of acl) {
    if (g.grantee !== null && g.grantee === owner) continue;
    out.push(
      statement(
        `GRANT ${g.priv}${columns} ON ${grantTarget} TO ${role(g.grantee)}${g.grantable ? ' WITH GRANT OPTION' : ''}`,
        `privileges on ${description}`,
      ),
    );
  }
  return out;
}

const DEFAULT_ACL_OBJECTS: Record<string, string> = {
  r: 'TABLES',
  S: 'SEQUENCES',
  f: 'FUNCTIONS',
  T: 'TYPES',
  n: 'SCHEMAS',
};

/**
 * ALTER DEFAULT PRIVILEGES reproducing one pg_default_acl row. A database-wide row replaces the
 * built-in defaults (so those are revoked first); a per-schema row only adds to them.
 */
export function defaultAclDdl(d: DefaultAclRow): SchemaStatement[] {
  const objects = DEFAULT_ACL_OBJECTS[d.objtype];
  if (!objects || d.acl === null) return [];
  const prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(d.role)}${d.schema === null ? '' : ` IN SCHEMA ${quoteIdent(d.schema)}`}`;
  const what = `default privileges of ${quoteIdent(d.role)} on ${objects.toLowerCase()}${d.schema === null ? '' : ` in ${quoteIdent(d.schema)}`}`;
  const out: SchemaStatement[] = [];
  if (d.schema === null)
    out.push(
      statement(`${prefix} REVOKE ALL ON ${objects} FROM PUBLIC`, what),
      statement(`${prefix} REVOKE ALL ON ${objects} FROM ${quoteIdent(d.role)}`, what),
    );
  for (const g of d.acl)
    out.push(
      statement(
        `${prefix} GRANT ${g.priv} ON ${objects} TO ${role(g.grantee)}${g.grantable ? ' WITH GRANT OPTION' : ''}`,
        what,
      ),
    );
  return out;
}
