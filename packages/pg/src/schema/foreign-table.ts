import { qualified, quoteIdent } from '../quote.js';
import type { CatalogIndex } from './catalog-index.js';
import type { ColumnRow, RelationRow } from './catalog-rows.js';
import type { CatalogSql } from './catalog-sql.js';
import { columnComments, columnSettings } from './ddl-columns.js';
import { genericOptionsSql, guardedBy, hasSecret, optionsClause, optionText } from './generic-options.js';
import { collateClause, commentOn, statement } from './sql-text.js';
import type { SchemaStatement } from './types.js';

/*
 * Foreign tables (relkind 'f'): relations like tables to the catalog read, the graph and the
 * plan, but created by CREATE FOREIGN TABLE with their server and options. They hold no rows of
 * their own: the copy, verify and the replicator take tables by relkind 'r' and 'p' only.
 */

/** The relations query's `foreign` column: a json ForeignTableInfo for relkind 'f', else NULL. */
export function foreignTableSql(q: CatalogSql): string {
  const column = q.object({ name: 'fa.attname', options: genericOptionsSql(q, 'fa.attfdwoptions') });
  const info = q.object({
    server: 'fs.srvname',
    options: genericOptionsSql(q, 'ft.ftoptions'),
    columns: `(SELECT pg_catalog.json_agg(${column} ORDER BY fa.attnum) FROM pg_catalog.pg_attribute fa
      WHERE fa.attrelid = c.oid AND fa.attnum > 0 AND NOT fa.attisdropped AND fa.attfdwoptions IS NOT NULL)`,
  });
  return `CASE WHEN c.relkind = 'f' THEN (SELECT ${info} FROM pg_catalog.pg_foreign_table ft
      JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver WHERE ft.ftrelid = c.oid)::text END`;
}

export function foreignTableDdl(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  const name = qualified(r.schema, r.name);
  const what = `foreign table ${name}`;
  const info = r.foreign;
  if (!info) throw new Error(`foreign table ${name} has no pg_foreign_table row`);
  const optionsOf = new Map((info.columns ?? []).map((c) => [c.name, c.options]));
  const parents = r.parents ?? [];
  const parentColumn = (c: ColumnRow) =>
    parents.flatMap((p) => index.columns.get(p.oid) ?? []).find((pc) => pc.name === c.name);
  const alter = `ALTER FOREIGN TABLE ONLY ${name}`;

  const elements: string[] = [];
  const after: SchemaStatement[] = [];
  for (const c of index.columns.get(r.oid) ?? []) {
    const column = quoteIdent(c.name);
    const options = optionsOf.get(c.name) ?? null;
    if (!c.isLocal) {
      // Defined by the parent; what this table sets on its own comes after.
      const parent = parentColumn(c);
      const actions: string[] = [];
      if (options && options.length > 0)
        actions.push(
          `ALTER COLUMN ${column} OPTIONS (${options.map((o) => `ADD ${optionText(o)}`).join(', ')})`,
        );
      if (c.defaultExpr !== null && c.generated === '' && c.defaultExpr !== parent?.defaultExpr)
        actions.push(`ALTER COLUMN ${column} SET DEFAULT ${c.defaultExpr}`);
      if (c.notNull && parent && !parent.notNull) actions.push(`ALTER COLUMN ${column} SET NOT NULL`);
      if (actions.length > 0) {
        const s = statement(`${alter} ${actions.join(', ')}`, `column ${column} of ${what}`);
        after.push(guardedBy(s, options));
      }
      continue;
    }
    let def = `${column} ${c.type}${optionsClause(options)}${collateClause(c.collation)}`;
    if (c.generated === 's') def += ` GENERATED ALWAYS AS (${c.defaultExpr}) STORED`;
    else if (c.defaultExpr !== null) def += ` DEFAULT ${c.defaultExpr}`;
    if (c.notNull) def += ' NOT NULL';
    elements.push(def);
  }
  // Checks are not enforced on foreign tables, so even NOT VALID ones may come with the CREATE's.
  const checks = (index.constraints.get(r.oid) ?? []).filter((k) => k.contype === 'c' && k.isLocal);
  for (const k of checks.filter((k) => !k.validated))
    after.push(
      statement(
        `${alter} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`,
        `constraint ${quoteIdent(k.name)} of ${what}`,
      ),
    );
  const constraints = checks
    .filter((k) => k.validated)
    .map((k) => `CONSTRAINT ${quoteIdent(k.name)} ${k.def}`);

  let sql = `CREATE FOREIGN TABLE ${name}`;
  const partitionOf = r.isPartition ? parents[0] : undefined;
  if (partitionOf) {
    sql += ` PARTITION OF ${qualified(partitionOf.schema, partitionOf.name)}`;
    if (constraints.length > 0) sql += ` (${constraints.join(', ')})`;
    sql += ` ${r.bound}`;
  } else {
    sql += ` (${[...elements, ...constraints].join(', ')})`;
    if (parents.length > 0)
      sql += ` INHERITS (${parents.map((p) => qualified(p.schema, p.name)).join(', ')})`;
  }
  sql += ` SERVER ${quoteIdent(info.server)}${optionsClause(info.options)}`;
  const secret = hasSecret(info.options) || (info.columns ?? []).some((c) => hasSecret(c.options));
  const create = statement(sql, what);
  return [
    secret ? { ...create, sensitive: true } : create,
    ...after,
    ...columnSettings(r, index, parentColumn),
    ...commentOn(`FOREIGN TABLE ${name}`, r.comment, what),
    ...columnComments(r, index, what),
  ];
}
