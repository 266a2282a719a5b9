import { qualified, quoteIdent, quoteLiteral } from '../quote.js';
import type { CatalogIndex } from './catalog-index.js';
import type { ColumnRow, ConstraintRow, RelationRow } from './catalog-rows.js';
import { parentColumn, parentsDisagree, standardFormKeepsOrder } from './column-order.js';
import { columnComments, columnSettings } from './ddl-columns.js';
import { sequenceOptions } from './sequence-options.js';
import { collateClause, commentOn, qname, statement, usingClause, withOptions } from './sql-text.js';
import type { SchemaStatement } from './types.js';

/*
 * CREATE TABLE in one of three forms: `OF type` for a typed table; the standard form (plain,
 * `INHERITS`, `PARTITION OF`) wherever it gives the source's column order, which is most tables;
 * else the child on its own with every column in the source's order, then `INHERIT` or
 * `ATTACH PARTITION` (pre-data: the table is empty, so attaching it is cheap).
 */

interface Created {
  statements: SchemaStatement[];
  /** The parent column the CREATE copied a column from (its storage and compression came along). */
  from: (c: ColumnRow) => ColumnRow | undefined;
}

export function tableDdl(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  const name = qualified(r.schema, r.name);
  const what = `table ${name}`;
  const created = r.ofType
    ? typedTable(r, index)
    : attachesLater(r, index)
      ? attachedTable(r, index)
      : standardTable(r, index);
  return [
    ...created.statements,
    ...columnSettings(r, index, created.from),
    ...commentOn(`TABLE ${name}`, r.comment, what),
    ...columnComments(r, index, what),
  ];
}

/**
 * A child the standard form would give another column order, or could not make (parents that
 * disagree on a column's storage): created alone, then attached.
 */
function attachesLater(r: RelationRow, index: CatalogIndex): boolean {
  return (r.parents ?? []).length > 0 && (!standardFormKeepsOrder(r, index) || parentsDisagree(r, index));
}

/**
 * Tables whose columns or checks are inherited-only on the source but made local by their
 * CREATE, then marked inherited-only by a catalog update that needs a superuser target session.
 */
export function superuserOnlyFlags(
  tables: RelationRow[],
  index: CatalogIndex,
): { kind: string; name: string }[] {
  return tables
    .filter((r) => {
      if (r.isPartition || !attachesLater(r, index)) return false;
      const { columns, checks } = inheritedOnly(r, index);
      return columns.length + checks.length > 0;
    })
    .map((r) => ({
      kind: 'inherited-only flags of columns and checks (set only when the target session is a superuser)',
      name: qualified(r.schema, r.name),
    }));
}

function validatedChecks(r: RelationRow, index: CatalogIndex, localOnly: boolean): ConstraintRow[] {
  return (index.constraints.get(r.oid) ?? []).filter(
    (k) => k.contype === 'c' && k.validated && !index.splitChecks.has(k.oid) && (k.isLocal || !localOnly),
  );
}

const checkElement = (k: ConstraintRow) => `CONSTRAINT ${quoteIdent(k.name)} ${k.def}`;

/** Generated expression, identity or default, then NOT NULL: what follows a column's type. */
function columnClauses(r: RelationRow, c: ColumnRow, index: CatalogIndex): string {
  let clauses = '';
  const seq = c.identity === '' ? undefined : index.identity.get(`${r.oid}:${c.name}`);
  if (c.generated === 's') clauses += ` GENERATED ALWAYS AS (${c.defaultExpr}) STORED`;
  // A partition's identity belongs to its parent (17+): the attach gives it.
  else if (c.identity !== '' && (seq || c.isLocal)) {
    const options = seq ? ` (SEQUENCE NAME ${qualified(seq.schema, seq.name)} ${sequenceOptions(seq)})` : '';
    clauses += ` GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${options}`;
  } else if (c.defaultExpr !== null) clauses += ` DEFAULT ${c.defaultExpr}`;
  if (c.notNull) clauses += ' NOT NULL';
  return clauses;
}

function columnElement(r: RelationRow, c: ColumnRow, index: CatalogIndex): string {
  return `${quoteIdent(c.name)} ${c.type}${collateClause(c.collation)}${columnClauses(r, c, index)}`;
}

/** `CREATE [UNLOGGED] TABLE name` */
function createHead(r: RelationRow): string {
  return `CREATE ${r.unlogged ? 'UNLOGGED ' : ''}TABLE ${qualified(r.schema, r.name)}`;
}

/** ` PARTITION BY ... USING ... WITH (...)`, the TOAST table's options as `toast.*`. */
function createTail(r: RelationRow): string {
  const toast = (r.toastOptions ?? []).map((o) => `toast.${o}`);
  const options = [...(r.options ?? []), ...toast];
  return `${r.partKey ? ` PARTITION BY ${r.partKey}` : ''}${usingClause(r.accessMethod)}${withOptions(options)}`;
}

function typedTable(r: RelationRow, index: CatalogIndex): Created {
  const name = qualified(r.schema, r.name);
  const elements: string[] = [];
  for (const c of index.columns.get(r.oid) ?? []) {
    const clauses = `${collateClause(c.collation)}${columnClauses(r, c, index)}`;
    if (clauses) elements.push(`${quoteIdent(c.name)} WITH OPTIONS${clauses}`);
  }
  elements.push(...validatedChecks(r, index, true).map(checkElement));
  const list = elements.length > 0 ? ` (${elements.join(', ')})` : '';
  const sql = `${createHead(r)} OF ${qname(r.ofType as { schema: string; name: string })}${list}${createTail(r)}`;
  return { statements: [statement(sql, `table ${name}`)], from: () => undefined };
}

function standardTable(r: RelationRow, index: CatalogIndex): Created {
  const name = qualified(r.schema, r.name);
  const columns = index.columns.get(r.oid) ?? [];
  const parents = r.parents ?? [];
  // Checks declared on this table; inherited ones come with the parent, NOT VALID ones come later.
  const checks = validatedChecks(r, index, true);
  const elements: string[] = [];
  const after: SchemaStatement[] = [];
  for (const c of columns) {
    if (c.isLocal && c.generated === 's' && parentColumn(r, index, c)?.generated === 's') {
      // Declared here and inherited: the parent's generation expression is the column's, and
      // PostgreSQL refuses a child that repeats it (the expressions agree, ALTER ... INHERIT saw to it).
      const notNull = c.notNull ? ' NOT NULL' : '';
      elements.push(`${quoteIdent(c.name)} ${c.type}${collateClause(c.collation)}${notNull}`);
      continue;
    }
    if (c.isLocal) {
      elements.push(columnElement(r, c, index));
      continue;
    }
    // Inherited: defined by the parent; only differences are set here.
    const column = quoteIdent(c.name);
    const parent = parentColumn(r, index, c);
    if (
      c.defaultExpr !== null &&
      c.generated === '' &&
      c.identity === '' &&
      c.defaultExpr !== parent?.defaultExpr
    )
      after.push(
        statement(
          `ALTER TABLE ONLY ${name} ALTER COLUMN ${column} SET DEFAULT ${c.defaultExpr}`,
          `default of column ${column} on ${name}`,
        ),
      );
    // The CREATE copies the parent's default; the source's child has none (set on the parent later).
    if (c.defaultExpr === null && parent?.defaultExpr != null && parent.generated === '')
      after.push(
        statement(
          `ALTER TABLE ONLY ${name} ALTER COLUMN ${column} DROP DEFAULT`,
          `default of column ${column} on ${name}`,
        ),
      );
    if (c.notNull && parent && !parent.notNull)
      after.push(
        statement(
          `ALTER TABLE ONLY ${name} ALTER COLUMN ${column} SET NOT NULL`,
          `not null of column ${column} on ${name}`,
        ),
      );
  }
  elements.push(...checks.map(checkElement));

  let sql = createHead(r);
  const partitionOf = r.isPartition ? parents[0] : undefined;
  if (partitionOf) {
    // Column definitions come from the parent; only table constraints may be listed.
    const constraints = checks.map(checkElement);
    sql += ` PARTITION OF ${qname(partitionOf)}`;
    if (constraints.length > 0) sql += ` (${constraints.join(', ')})`;
    sql += ` ${r.bound}`;
  } else {
    sql += ` (${elements.join(', ')})`;
    if (parents.length > 0) sql += ` INHERITS (${parents.map(qname).join(', ')})`;
  }
  sql += createTail(r);
  return {
    statements: [statement(sql, `table ${name}`), ...after],
    from: (c) => parentColumn(r, index, c),
  };
}

/**
 * Every column in the source's order, with the checks the attach requires (a partition or child
 * must already hold each of its parent's), then `ATTACH PARTITION` or `INHERIT`. A partition's
 * columns and checks become inherited-only by the attach itself; an inheritance child's stay
 * local, so they are marked inherited-only in the catalog, as the source has them.
 */
function attachedTable(r: RelationRow, index: CatalogIndex): Created {
  const name = qualified(r.schema, r.name);
  const parents = r.parents ?? [];
  const elements = [
    ...(index.columns.get(r.oid) ?? []).map((c) => columnElement(r, c, index)),
    ...validatedChecks(r, index, false).map(checkElement),
  ];
  const statements = [
    statement(`${createHead(r)} (${elements.join(', ')})${createTail(r)}`, `table ${name}`),
  ];
  const partitionOf = r.isPartition ? parents[0] : undefined;
  if (partitionOf)
    statements.push(
      statement(
        `ALTER TABLE ${qname(partitionOf)} ATTACH PARTITION ${name} ${r.bound}`,
        `partition ${name} of ${qname(partitionOf)}`,
      ),
    );
  else {
    for (const p of parents)
      statements.push(
        statement(`ALTER TABLE ${name} INHERIT ${qname(p)}`, `inheritance of ${name} from ${qname(p)}`),
      );
    statements.push(...inheritedOnlyFlags(r, index));
  }
  return { statements, from: () => undefined };
}

/** Names of the columns and checks that are inherited-only on the source (attislocal false). */
function inheritedOnly(r: RelationRow, index: CatalogIndex): { columns: string[]; checks: string[] } {
  return {
    columns: (index.columns.get(r.oid) ?? []).filter((c) => !c.isLocal).map((c) => c.name),
    checks: validatedChecks(r, index, false)
      .filter((k) => !k.isLocal)
      .map((k) => k.name),
  };
}

/**
 * Marks columns and checks inherited-only (`attislocal`, `conislocal` false), which no DDL does
 * for an existing table: a catalog update, run only when the target session is a superuser; else
 * they stay local and the plan says so (superuserOnlyFlags).
 */
function inheritedOnlyFlags(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  const { columns, checks } = inheritedOnly(r, index);
  if (columns.length + checks.length === 0) return [];
  const name = qualified(r.schema, r.name);
  const rel = `${quoteLiteral(name)}::pg_catalog.regclass`;
  const list = (names: string[]) => names.map(quoteLiteral).join(', ');
  const body = [
    'BEGIN',
    'IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN',
    ...(columns.length > 0
      ? [
          `UPDATE pg_catalog.pg_attribute SET attislocal = false WHERE attrelid = ${rel} AND attname IN (${list(columns)});`,
        ]
      : []),
    ...(checks.length > 0
      ? [
          `UPDATE pg_catalog.pg_constraint SET conislocal = false WHERE conrelid = ${rel} AND conname IN (${list(checks)});`,
        ]
      : []),
    'ELSE',
    `RAISE WARNING '%', ${quoteLiteral(`pgshift: columns and checks of ${name} inherited on the source stay local here (marking them needs a superuser)`)};`,
    'END IF;',
    'END',
  ].join('\n');
  return [statement(`DO ${quoteLiteral(body)}`, `inherited-only flags of ${name}`)];
}
