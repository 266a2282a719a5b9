import { qualified, quoteIdent, quoteLiteral } from '../quote.js';
import type { CatalogIndex } from './catalog-index.js';
import type {
  CollationRow,
  ExtensionRow,
  FunctionRow,
  RelationRow,
  SchemaRow,
  SequenceRow,
  TypeRow,
} from './catalog-rows.js';
import { columnComments, columnSettings } from './ddl-columns.js';
import { tableDdl } from './ddl-table.js';
import { foreignTableDdl } from './foreign-table.js';
import { sequenceOptions } from './sequence-options.js';
import {
  collateClause,
  commentOn,
  qname,
  statement,
  stripSemicolon,
  usingClause,
  withOptions,
} from './sql-text.js';
import type { SchemaStatement } from './types.js';

/* CREATE statements for pre-data objects, one object at a time. */

export function schemaDdl(s: SchemaRow): SchemaStatement[] {
  const what = `schema ${quoteIdent(s.name)}`;
  return [
    statement(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s.name)}`, what),
    ...commentOn(`SCHEMA ${quoteIdent(s.name)}`, s.comment, what),
  ];
}

export function extensionDdl(e: ExtensionRow): SchemaStatement[] {
  const what = `extension ${quoteIdent(e.name)}`;
  return [
    statement(
      `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`,
      what,
    ),
    ...commentOn(`EXTENSION ${quoteIdent(e.name)}`, e.comment, what),
  ];
}

export function collationDdl(c: CollationRow): SchemaStatement[] {
  const name = qualified(c.schema, c.name);
  const what = `collation ${name}`;
  const options: string[] = [];
  if (c.provider === 'i') {
    options.push('provider = icu', `locale = ${quoteLiteral(c.locale ?? c.lcCollate ?? '')}`);
  } else {
    if (c.provider === 'c') options.push('provider = libc');
    options.push(
      `lc_collate = ${quoteLiteral(c.lcCollate ?? '')}`,
      `lc_ctype = ${quoteLiteral(c.lcCtype ?? '')}`,
    );
  }
  if (!c.deterministic) options.push('deterministic = false');
  return [
    statement(`CREATE COLLATION ${name} (${options.join(', ')})`, what),
    ...commentOn(`COLLATION ${name}`, c.comment, what),
  ];
}

export function typeDdl(t: TypeRow): SchemaStatement[] {
  const name = qualified(t.schema, t.name);
  if (t.typtype === 'e') {
    const what = `enum type ${name}`;
    const labels = (t.labels ?? []).map(quoteLiteral).join(', ');
    return [
      statement(`CREATE TYPE ${name} AS ENUM (${labels})`, what),
      ...commentOn(`TYPE ${name}`, t.comment, what),
    ];
  }
  if (t.typtype === 'd') {
    const what = `domain ${name}`;
    let sql = `CREATE DOMAIN ${name} AS ${t.baseType}${collateClause(t.collation)}`;
    if (t.defaultExpr !== null) sql += ` DEFAULT ${t.defaultExpr}`;
    if (t.notNull) sql += ' NOT NULL';
    const later: SchemaStatement[] = [];
    for (const check of t.checks ?? []) {
      if (check.validated) sql += ` CONSTRAINT ${quoteIdent(check.name)} ${check.def}`;
      else
        later.push(
          statement(
            `ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteIdent(check.name)} ${check.def}`,
            `${what} constraint`,
          ),
        );
      later.push(
        ...commentOn(
          `CONSTRAINT ${quoteIdent(check.name)} ON DOMAIN ${name}`,
          check.comment,
          `${what} constraint`,
        ),
      );
    }
    return [statement(sql, what), ...later, ...commentOn(`DOMAIN ${name}`, t.comment, what)];
  }
  if (t.typtype === 'c') {
    const what = `composite type ${name}`;
    const attributes = (t.attributes ?? []).map(
      (a) => `${quoteIdent(a.name)} ${a.type}${collateClause(a.collation)}`,
    );
    const comments = (t.attributes ?? []).flatMap((a) =>
      commentOn(`COLUMN ${name}.${quoteIdent(a.name)}`, a.comment, `${what} attribute`),
    );
    return [
      statement(`CREATE TYPE ${name} AS (${attributes.join(', ')})`, what),
      ...commentOn(`TYPE ${name}`, t.comment, what),
      ...comments,
    ];
  }
  if (t.typtype === 'b') return baseTypeDdl(t);
  if (t.typtype === 'p') {
    const what = `shell type ${name}`;
    return [statement(`CREATE TYPE ${name}`, what), ...commentOn(`TYPE ${name}`, t.comment, what)];
  }
  const what = `range type ${name}`;
  const r = t.range;
  if (!r) throw new Error(`range type ${name} has no pg_range row`);
  const options = [`SUBTYPE = ${r.subtype}`, `SUBTYPE_OPCLASS = ${qname(r.opclass)}`];
  if (r.collation) options.push(`COLLATION = ${qname(r.collation)}`);
  if (r.canonical) options.push(`CANONICAL = ${qname(r.canonical)}`);
  if (r.diff) options.push(`SUBTYPE_DIFF = ${qname(r.diff)}`);
  if (r.multirange) options.push(`MULTIRANGE_TYPE_NAME = ${qualified(t.schema, r.multirange)}`);
  return [
    statement(`CREATE TYPE ${name} AS RANGE (${options.join(', ')})`, what),
    ...commentOn(`TYPE ${name}`, t.comment, what),
  ];
}

const ALIGNMENT: Record<string, string> = { c: 'char', s: 'int2', i: 'int4', d: 'double' };
const STORAGE: Record<string, string> = { p: 'plain', e: 'external', x: 'extended', m: 'main' };

/**
 * CREATE TYPE name (INPUT = ..., ...) of a base type. It completes the shell the plan made before
 * the I/O functions (see graph.ts addShellTypes).
 */
function baseTypeDdl(t: TypeRow): SchemaStatement[] {
  const name = qualified(t.schema, t.name);
  const what = `base type ${name}`;
  const d = t.definition;
  if (!d) throw new Error(`base type ${name} has no definition`);
  const options = [`INPUT = ${qname(d.input)}`, `OUTPUT = ${qname(d.output)}`];
  const functions = [
    ['RECEIVE', d.receive],
    ['SEND', d.send],
    ['TYPMOD_IN', d.typmodIn],
    ['TYPMOD_OUT', d.typmodOut],
    ['ANALYZE', d.analyze],
    ['SUBSCRIPT', d.subscript],
  ] as const;
  for (const [option, fn] of functions) if (fn) options.push(`${option} = ${qname(fn)}`);
  options.push(`INTERNALLENGTH = ${d.length === -1 ? 'VARIABLE' : d.length}`);
  if (d.byValue) options.push('PASSEDBYVALUE');
  options.push(`ALIGNMENT = ${ALIGNMENT[d.alignment]}`, `STORAGE = ${STORAGE[d.storage]}`);
  options.push(`CATEGORY = ${quoteLiteral(d.category)}`);
  if (d.preferred) options.push('PREFERRED = true');
  if (d.default !== null) options.push(`DEFAULT = ${quoteLiteral(d.default)}`);
  if (d.element) options.push(`ELEMENT = ${d.element}`);
  options.push(`DELIMITER = ${quoteLiteral(d.delimiter)}`);
  if (d.collatable) options.push('COLLATABLE = true');
  return [
    statement(`CREATE TYPE ${name} (${options.join(', ')})`, what),
    ...commentOn(`TYPE ${name}`, t.comment, what),
  ];
}

const ROUTINE_KEYWORD = { f: 'FUNCTION', w: 'FUNCTION', p: 'PROCEDURE', a: 'AGGREGATE' } as const;

/** How ALTER and COMMENT name the routine: `FUNCTION "s"."f"(integer)`, `AGGREGATE "s"."a"(*)`. */
export function functionTarget(f: FunctionRow): string {
  return `${ROUTINE_KEYWORD[f.kind]} ${qualified(f.schema, f.name)}(${f.args})`;
}

/** How GRANT names it: aggregates are granted as functions, with `()` for `(*)`. */
export function functionGrantTarget(f: FunctionRow): string {
  if (f.kind !== 'a') return functionTarget(f);
  return `FUNCTION ${qualified(f.schema, f.name)}(${f.args === '*' ? '' : f.args})`;
}

export function functionDdl(f: FunctionRow): SchemaStatement[] {
  const what = `${ROUTINE_KEYWORD[f.kind].toLowerCase()} ${qualified(f.schema, f.name)}(${f.args})`;
  return [statement(f.def.trim(), what), ...commentOn(functionTarget(f), f.comment, what)];
}

export function sequenceDdl(s: SequenceRow): SchemaStatement[] {
  const name = qualified(s.schema, s.name);
  const what = `sequence ${name}`;
  return [
    statement(
      `CREATE ${s.unlogged ? 'UNLOGGED ' : ''}SEQUENCE ${name} AS ${s.type} ${sequenceOptions(s)}`,
      what,
    ),
    ...commentOn(`SEQUENCE ${name}`, s.comment, what),
  ];
}

export function relationDdl(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  if (r.relkind === 'v' || r.relkind === 'm') return viewDdl(r, index);
  if (r.relkind === 'f') return foreignTableDdl(r, index);
  return tableDdl(r, index);
}

function viewDdl(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  const name = qualified(r.schema, r.name);
  const materialized = r.relkind === 'm';
  const what = `${materialized ? 'materialized view' : 'view'} ${name}`;
  const body = stripSemicolon(r.viewDef ?? '');
  // Filled after the copy (the plan's REFRESH), and only when the source's is populated.
  const toast = (r.toastOptions ?? []).map((o) => `toast.${o}`);
  const sql = materialized
    ? `CREATE MATERIALIZED VIEW ${name}${usingClause(r.accessMethod)}${withOptions([...(r.options ?? []), ...toast])} AS ${body} WITH NO DATA`
    : `CREATE VIEW ${name}${withOptions(r.options)} AS ${body}`;
  return [
    statement(sql, what),
    ...(materialized ? columnSettings(r, index, () => undefined) : []),
    ...commentOn(`${materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${name}`, r.comment, what),
    ...columnComments(r, index, what),
  ];
}
