import { qualified, quoteIdent } from '../quote.js';
import type { CatalogIndex } from './catalog-index.js';
import type { ColumnRow, RelationRow } from './catalog-rows.js';
import { commentOn, optionList, statement } from './sql-text.js';
import type { SchemaStatement } from './types.js';

/* Per-column statements of tables and materialized views beyond their CREATE. */

const STORAGE: Record<string, string> = { p: 'PLAIN', e: 'EXTERNAL', m: 'MAIN', x: 'EXTENDED' };
const COMPRESSION: Record<string, string> = { p: 'pglz', l: 'lz4', '': 'default' };

export function columnComments(r: RelationRow, index: CatalogIndex, what: string): SchemaStatement[] {
  const name = qualified(r.schema, r.name);
  return (index.columns.get(r.oid) ?? []).flatMap((c) =>
    commentOn(`COLUMN ${name}.${quoteIdent(c.name)}`, c.comment, `${what} column ${quoteIdent(c.name)}`),
  );
}

/**
 * What a CREATE does not carry: each column's statistics target and options (n_distinct, ...),
 * and its storage and compression wherever they may differ from what the CREATE gave it. A new
 * column takes its type's storage and the default compression; a column the CREATE took from a
 * parent (`from`) takes the parent's.
 */
export function columnSettings(
  r: RelationRow,
  index: CatalogIndex,
  from: (c: ColumnRow) => ColumnRow | undefined,
): SchemaStatement[] {
  const name = qualified(r.schema, r.name);
  const alter = r.relkind === 'm' ? `ALTER MATERIALIZED VIEW ${name}` : `ALTER TABLE ONLY ${name}`;
  const out: SchemaStatement[] = [];
  for (const c of index.columns.get(r.oid) ?? []) {
    const column = `ALTER COLUMN ${quoteIdent(c.name)}`;
    const parent = from(c);
    const actions: string[] = [];
    if (c.statistics !== null) actions.push(`${column} SET STATISTICS ${c.statistics}`);
    if (c.options && c.options.length > 0) actions.push(`${column} SET ${optionList(c.options)}`);
    const storage = STORAGE[c.storage];
    if (storage && (c.storage !== c.typeStorage || (parent && parent.storage !== c.storage)))
      actions.push(`${column} SET STORAGE ${storage}`);
    const compression = COMPRESSION[c.compression];
    if (compression && (c.compression !== '' || (parent && parent.compression !== c.compression)))
      actions.push(`${column} SET COMPRESSION ${compression}`);
    if (actions.length > 0)
      out.push(
        statement(`${alter} ${actions.join(', ')}`, `settings of column ${quoteIdent(c.name)} on ${name}`),
      );
  }
  return out;
}
