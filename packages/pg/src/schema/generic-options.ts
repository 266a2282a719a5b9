import { quoteIdent, quoteLiteral } from '../quote.js';
import type { CatalogSql } from './catalog-sql.js';

/*
 * The generic options of foreign-data wrappers, servers, user mappings, foreign tables and their
 * columns (`OPTIONS (host 'db1', password '...')`). Values under secret-looking keys are copied
 * in the DDL but never shown: descriptions and verify signatures carry them redacted.
 */

export interface GenericOption {
  key: string;
  value: string | null;
}

const SECRET_KEY = /pass|secret|token|key|credential/i;
const REDACTED = '(redacted)';

/** A json list of `{ key, value }` for an options array column (fdwoptions, umoptions...), or NULL. */
export function genericOptionsSql(q: CatalogSql, column: string): string {
  return `(SELECT pg_catalog.json_agg(${q.object({ key: 'o.option_name', value: 'o.option_value' })})
    FROM pg_catalog.pg_options_to_table(${column}) o)`;
}

/** ` OPTIONS (key 'value', ...)`, or nothing. */
export function optionsClause(options: GenericOption[] | null): string {
  if (!options || options.length === 0) return '';
  return ` OPTIONS (${options.map(optionText).join(', ')})`;
}

/** `key 'value'`, as one item of an OPTIONS list (`ADD key 'value'` in ALTER ... OPTIONS). */
export function optionText(o: GenericOption): string {
  return o.value === null ? quoteIdent(o.key) : `${quoteIdent(o.key)} ${quoteLiteral(o.value)}`;
}

/** Whether any value is a secret: the statement carrying them is then marked sensitive. */
export function hasSecret(options: GenericOption[] | null): boolean {
  return (options ?? []).some((o) => SECRET_KEY.test(o.key));
}

/**
 * `statement` marked sensitive when `options` hold a secret: a failure then names the object by
 * its description only, never by its SQL.
 */
export function guardedBy<S extends { sensitive?: true }>(statement: S, options: GenericOption[] | null): S {
  return hasSecret(options) ? { ...statement, sensitive: true } : statement;
}

/** The options with secret values replaced, for descriptions and verify signatures. */
export function redacted(options: GenericOption[] | null): GenericOption[] | null {
  if (!options) return null;
  return options.map((o) => (SECRET_KEY.test(o.key) && o.value !== null ? { ...o, value: REDACTED } : o));
}
