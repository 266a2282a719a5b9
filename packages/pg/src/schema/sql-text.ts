import { qualified, quoteIdent, quoteLiteral } from '../quote.js';
import type { QualifiedName } from './catalog-rows.js';
import type { SchemaStatement } from './types.js';

export function statement(sql: string, description: string): SchemaStatement {
  return { sql, description };
}

export function qname(name: QualifiedName): string {
  return qualified(name.schema, name.name);
}

/** `COMMENT ON <target> IS '...'`, or nothing when there is no comment. */
export function commentOn(target: string, text: string | null, description: string): SchemaStatement[] {
  if (text === null) return [];
  return [statement(`COMMENT ON ${target} IS ${quoteLiteral(text)}`, `comment on ${description}`)];
}

/** `WITH (fillfactor=70, ...)` from reloptions, quoting values that are not plain words. */
export function withOptions(options: string[] | null): string {
  if (!options || options.length === 0) return '';
  return ` WITH ${optionList(options)}`;
}

/** `(name=value, ...)` from a reloptions or attoptions array. */
export function optionList(options: string[]): string {
  const parts = options.map((option) => {
    const at = option.indexOf('=');
    if (at < 0) return option;
    const name = option.slice(0, at);
    const value = option.slice(at + 1);
    return `${name}=${/^[A-Za-z0-9_.-]+$/.test(value) ? value : quoteLiteral(value)}`;
  });
  return `(${parts.join(', ')})`;
}

export function collateClause(collation: QualifiedName | null): string {
  return collation ? ` COLLATE ${qname(collation)}` : '';
}

/** ` USING method` of CREATE TABLE and CREATE MATERIALIZED VIEW; nothing for the default (heap). */
export function usingClause(method: string | null): string {
  return method ? ` USING ${quoteIdent(method)}` : '';
}

export function role(name: string | null): string {
  return name === null ? 'PUBLIC' : quoteIdent(name);
}

/** pg_get_viewdef and pg_get_ruledef end with a semicolon; statements here do not. */
export function stripSemicolon(sql: string): string {
  return sql.trim().replace(/;$/, '');
}
