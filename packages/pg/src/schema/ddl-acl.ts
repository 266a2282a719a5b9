import { quoteIdent } from '../quote.js';
import type { Grant } from './catalog.js';
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
