import { quoteIdent, quoteLiteral } from '@pgshift/pg';
import type { Value } from './model.js';
import type { TargetTable } from './target-catalog.js';
import { targetColumn } from './target-catalog.js';

/**
 * One statement with its parameters (all text or NULL). A statement built with its values inline
 * has no parameters and a `template`: its text without values, which is all an error may show.
 */
export interface Statement {
  text: string;
  values: (string | null)[];
  template?: string;
}

const T = quoteIdent('__pgshift_t');
const V = quoteIdent('__pgshift_v');

/** Adds a parameter cast to the column's type and returns its placeholder. */
function param(values: (string | null)[], value: Value, cast: string): string {
  values.push(value ?? null);
  return `$${values.length}::${cast}`;
}

function casts(table: TargetTable, columns: string[]): string[] {
  return columns.map((name) => targetColumn(table, name).cast);
}

/** A value as an SQL literal, cast when `cast` is given; undefined and null are NULL. */
function literal(value: Value, cast?: string): string {
  const text = value === null || value === undefined ? 'NULL' : quoteLiteral(value);
  return cast ? `${text}::${cast}` : text;
}

/**
 * A VALUES list with the values inline. Only the first row is cast: the others take its column
 * types, and an untyped literal goes through the column type's input function, as a parameter did.
 */
function valuesList(rows: Value[][], types: string[] | undefined): string {
  // Built by concatenation, not arrays joined: one fewer copy of every value, and far less garbage.
  let text = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Value[];
    text += r === 0 ? '(' : ', (';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) text += ', ';
      text += literal(row[i], r === 0 ? types?.[i] : undefined);
    }
    text += ')';
  }
  return text;
}

/**
 * INSERT INTO t (a, b) VALUES ('1', 'x'), (...): the values inline, so the pipeline sends it as
 * it is. A multi-row INSERT coerces each value to its column's type, so no casts are needed.
 */
export function insertRows(table: TargetTable, columns: string[], rows: Value[][]): Statement {
  for (const name of columns) targetColumn(table, name);
  // A table without columns (CREATE TABLE t (), or all dropped): no VALUES list can be written.
  if (columns.length === 0) {
    const text = `INSERT INTO ${table.sql} SELECT FROM pg_catalog.generate_series(1, ${rows.length})`;
    return { text, values: [], template: `INSERT INTO ${table.sql} SELECT FROM ...` };
  }
  const overriding = table.identityAlways ? ' OVERRIDING SYSTEM VALUE' : '';
  const head = `INSERT INTO ${table.sql} (${columns.map(quoteIdent).join(', ')})${overriding} VALUES `;
  return { text: head + valuesList(rows, undefined), values: [], template: `${head}...` };
}

/** UPDATE of several rows by key, none of which changes its key: UPDATE ... FROM (VALUES ...). */
export function updateRowsByKey(
  table: TargetTable,
  keyColumns: string[],
  setColumns: string[],
  rows: Value[][],
): Statement {
  const all = [...keyColumns, ...setColumns];
  const set = setColumns.map((c) => `${quoteIdent(c)} = ${V}.${quoteIdent(c)}`).join(', ');
  const where = keyColumns.map((c) => `${T}.${quoteIdent(c)} = ${V}.${quoteIdent(c)}`).join(' AND ');
  const head = `UPDATE ${table.sql} AS ${T} SET ${set} FROM (VALUES `;
  const tail = `) AS ${V} (${all.map(quoteIdent).join(', ')}) WHERE ${where}`;
  return {
    text: head + valuesList(rows, casts(table, all)) + tail,
    values: [],
    template: `${head}...${tail}`,
  };
}

/** UPDATE of one row by its (old) key; the key itself may change. */
export function updateRowByKey(
  table: TargetTable,
  keyColumns: string[],
  keyValues: Value[],
  setColumns: string[],
  setValues: Value[],
): Statement {
  const values: (string | null)[] = [];
  const setTypes = casts(table, setColumns);
  const keyTypes = casts(table, keyColumns);
  const set = setColumns.map(
    (c, i) => `${quoteIdent(c)} = ${param(values, setValues[i], setTypes[i] as string)}`,
  );
  const where = keyColumns.map(
    (c, i) => `${quoteIdent(c)} = ${param(values, keyValues[i], keyTypes[i] as string)}`,
  );
  return { text: `UPDATE ${table.sql} SET ${set.join(', ')} WHERE ${where.join(' AND ')}`, values };
}

/** DELETE of several rows by key. */
export function deleteRowsByKey(table: TargetTable, keyColumns: string[], rows: Value[][]): Statement {
  const where = keyColumns.map((c) => `${T}.${quoteIdent(c)} = ${V}.${quoteIdent(c)}`).join(' AND ');
  const head = `DELETE FROM ${table.sql} AS ${T} USING (VALUES `;
  const tail = `) AS ${V} (${keyColumns.map(quoteIdent).join(', ')}) WHERE ${where}`;
  return {
    text: head + valuesList(rows, casts(table, keyColumns)) + tail,
    values: [],
    template: `${head}...${tail}`,
  };
}

/**
 * The row a REPLICA IDENTITY FULL change means: exactly one row whose every column equals the old
 * row. Columns compare as the target's text of the target type, which also works for types
 * without an equality operator (json, point) and never matches NULL against a value.
 */
function fullRowMatch(table: TargetTable, old: [string, Value][], values: (string | null)[]): string {
  const conditions = old.map(([name, value]) => {
    const column = targetColumn(table, name);
    return `${quoteIdent(name)}::text IS NOT DISTINCT FROM (${param(values, value, column.cast)})::text`;
  });
  const where = conditions.length > 0 ? conditions.join(' AND ') : 'true';
  return `ctid = (SELECT ctid FROM ${table.sql} WHERE ${where} LIMIT 1)`;
}

export function deleteFullRow(table: TargetTable, old: [string, Value][]): Statement {
  const values: (string | null)[] = [];
  const match = fullRowMatch(table, old, values);
  return { text: `DELETE FROM ${table.sql} WHERE ${match}`, values };
}

export function updateFullRow(table: TargetTable, old: [string, Value][], set: [string, Value][]): Statement {
  const values: (string | null)[] = [];
  const assignments = set.map(
    ([name, value]) => `${quoteIdent(name)} = ${param(values, value, targetColumn(table, name).cast)}`,
  );
  const match = fullRowMatch(table, old, values);
  return { text: `UPDATE ${table.sql} SET ${assignments.join(', ')} WHERE ${match}`, values };
}

/** TRUNCATE ONLY the listed tables: the source lists every table it truncated (cascaded ones too). */
export function truncateTables(tables: TargetTable[], restartIdentity: boolean): Statement | undefined {
  // A partitioned table holds no rows; its partitions are listed on their own.
  const leaves = tables.filter((t) => !t.partitioned);
  if (leaves.length === 0) return undefined;
  return {
    text: `TRUNCATE ONLY ${leaves.map((t) => t.sql).join(', ')}${restartIdentity ? ' RESTART IDENTITY' : ''}`,
    values: [],
  };
}
