import type { GenericOption } from './generic-options.js';

/*
 * The rows the catalog reader returns (catalog.ts), one interface per catalog query of
 * catalog-queries.ts; the DDL writers and the dependency graph take them from here.
 */

export interface QualifiedName {
  schema: string;
  name: string;
}

export interface Grant {
  grantee: string | null; // null = PUBLIC
  priv: string;
  grantable: boolean;
}

interface Owned {
  oid: string;
  nsp: string;
  schema: string;
  name: string;
  owner: string;
  comment: string | null;
  acl: Grant[] | null;
}

export interface SchemaRow {
  oid: string;
  name: string;
  owner: string;
  comment: string | null;
  acl: Grant[] | null;
}
export interface ExtensionRow {
  oid: string;
  name: string;
  nsp: string;
  schema: string;
  comment: string | null;
}
export interface CollationRow extends Owned {
  provider: string;
  lcCollate: string | null;
  lcCtype: string | null;
  locale: string | null;
  deterministic: boolean;
}
export interface TypeRow extends Owned {
  /** e enum, d domain, c composite, r range, b base, p shell (CREATE TYPE name, never completed) */
  typtype: 'e' | 'd' | 'c' | 'r' | 'b' | 'p';
  labels: string[] | null;
  baseType: string | null;
  notNull: boolean;
  defaultExpr: string | null;
  collation: QualifiedName | null;
  checks: { name: string; def: string; validated: boolean; comment: string | null }[] | null;
  attributes:
    | { name: string; type: string; collation: QualifiedName | null; comment: string | null }[]
    | null;
  range: {
    subtype: string;
    opclass: QualifiedName;
    collation: QualifiedName | null;
    canonical: QualifiedName | null;
    diff: QualifiedName | null;
    multirange: string | null;
  } | null;
  /** What CREATE TYPE name (...) of a base type says. */
  definition: BaseTypeDefinition | null;
}
/** A base type's CREATE TYPE options; functions by name, as CREATE TYPE names them. */
export interface BaseTypeDefinition {
  input: QualifiedName;
  output: QualifiedName;
  receive: QualifiedName | null;
  send: QualifiedName | null;
  typmodIn: QualifiedName | null;
  typmodOut: QualifiedName | null;
  analyze: QualifiedName | null;
  /** null before 14, which has no subscript handlers. */
  subscript: QualifiedName | null;
  /** typlen: -1 for VARIABLE. */
  length: number;
  byValue: boolean;
  /** typalign: c, s, i, d */
  alignment: string;
  /** typstorage: p, e, x, m */
  storage: string;
  category: string;
  preferred: boolean;
  /** typdefault: the default's text, as DEFAULT = '...' gives it. */
  default: string | null;
  element: string | null;
  delimiter: string;
  collatable: boolean;
}
export interface FunctionRow extends Owned {
  /** f function, p procedure, w window function, a aggregate */
  kind: 'f' | 'p' | 'w' | 'a';
  args: string;
  def: string;
}
export interface SequenceRow extends Owned {
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  unlogged: boolean;
  ownedBy: { tableOid: string; schema: string; table: string; column: string; identity: boolean } | null;
}
/** A foreign table's server and options (see foreign-table.ts). */
export interface ForeignTableInfo {
  server: string;
  options: GenericOption[] | null;
  /** Columns that have options of their own. */
  columns: { name: string; options: GenericOption[] | null }[] | null;
}

export interface RelationRow extends Owned {
  relkind: 'r' | 'p' | 'v' | 'm' | 'f';
  /** A foreign table's server, options and column options (see foreign-table.ts). */
  foreign: ForeignTableInfo | null;
  unlogged: boolean;
  options: string[] | null;
  partKey: string | null;
  isPartition: boolean;
  bound: string | null;
  parents: { oid: string; schema: string; name: string }[] | null;
  viewDef: string | null;
  populated: boolean;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  replIdent: string;
  /** A table's or materialized view's access method; null for heap, and before 12. */
  accessMethod: string | null;
  /** The composite type of a typed table (`CREATE TABLE ... OF type`). */
  ofType: QualifiedName | null;
  /** reloptions of the table's TOAST table, without the `toast.` prefix. */
  toastOptions: string[] | null;
}
export interface ColumnRow {
  rel: string;
  num: number;
  name: string;
  type: string;
  notNull: boolean;
  isLocal: boolean;
  /** How many parents define the column (attinhcount). */
  inhCount: number;
  defaultExpr: string | null;
  identity: '' | 'a' | 'd';
  generated: '' | 's';
  collation: QualifiedName | null;
  comment: string | null;
  acl: Grant[] | null;
  /** attstorage, and the storage its type gives a new column (typstorage). */
  storage: string;
  typeStorage: string;
  /** attcompression: '' for the server's default (always '' before 14). */
  compression: string;
  /** The statistics target; null for the default. */
  statistics: number | null;
  /** attoptions (`n_distinct=100`, ...). */
  options: string[] | null;
}
export interface IndexRow {
  oid: string;
  schema: string;
  name: string;
  rel: string;
  def: string;
  clustered: boolean;
  replIdent: boolean;
  partitioned: boolean;
  backsConstraint: boolean;
  parent: QualifiedName | null;
  comment: string | null;
}
export interface ConstraintRow {
  oid: string;
  name: string;
  contype: 'c' | 'p' | 'u' | 'x' | 'f';
  rel: string;
  def: string;
  validated: boolean;
  isLocal: boolean;
  parentOid: string;
  refRel: string;
  /** The index behind a PRIMARY KEY, UNIQUE or EXCLUDE constraint ('0' for other kinds). */
  indexOid: string;
  deferrable: boolean;
  deferred: boolean;
  comment: string | null;
}
export interface TriggerRow {
  oid: string;
  name: string;
  rel: string;
  def: string;
  enabled: string;
  comment: string | null;
}
export interface RuleRow {
  oid: string;
  name: string;
  rel: string;
  def: string;
  comment: string | null;
}
export interface StatisticsRow {
  schema: string;
  name: string;
  rel: string;
  def: string;
  comment: string | null;
}
export interface DefaultAclRow {
  role: string;
  /** null: for objects in every schema */
  nsp: string | null;
  schema: string | null;
  objtype: string;
  acl: Grant[] | null;
}
export interface UnsupportedRow {
  kind: string;
  name: string;
}
export interface PolicyRow {
  name: string;
  rel: string;
  cmd: string;
  permissive: boolean;
  roles: (string | null)[];
  qual: string | null;
  withCheck: string | null;
}
export interface DependencyRow {
  cls: string;
  objid: string;
  objKey: string | null;
  refCls: string;
  refObjid: string;
  refKey: string | null;
  deptype: string;
}
export interface TypeInfoRow {
  oid: string;
  typtype: string;
  typrelid: string;
  relkind: string;
  elem: string | null;
  rangeOf: string | null;
}
export interface ExtensionMemberRow {
  cls: string;
  objid: string;
  ext: string;
}
