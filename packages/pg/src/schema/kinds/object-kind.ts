import type { Grant } from '../catalog-rows.js';
import type { CatalogSql } from '../catalog-sql.js';
import type { SchemaOptions, SchemaStatement, SkippedObject } from '../types.js';

/**
 * One kind of schema object beyond tables and the kinds catalog-queries.ts reads: operators,
 * casts, text search objects, foreign servers, event triggers... Each kind is one file under
 * kinds/ that says how to read its rows, where they go in the plan, what DDL recreates them and
 * how verify compares them. The catalog reader, the dependency graph, the plan and the compare
 * take every kind of OBJECT_KINDS (kinds/index.ts) the same way.
 */

/** What every row of a kind carries; a kind's own row type adds its fields. */
export interface KindRow {
  /** The object's oid in `ObjectKind.catalog`. */
  oid: string;
  /** The oid of its schema, for kinds that live in one. */
  nsp?: string | null;
  schema?: string | null;
  /** A display name: `"s"."op"(integer, integer)`, `cast (a AS b)`... */
  name: string;
  owner?: string | null;
  comment?: string | null;
  acl?: Grant[] | null;
}

/** The statements that recreate one object, split as the plan orders them. */
export interface KindStatements {
  /** CREATE and what must come right after it (comments, options). */
  create: SchemaStatement[];
  /** ALTER ... OWNER TO, applied with the other owners when copyOwners is on. */
  owner?: SchemaStatement[];
  /** GRANT/REVOKE, applied with the other grants when copyPrivileges is on. */
  grants?: SchemaStatement[];
  /** Run when the migration finishes (SchemaPlan.finish): an event trigger enabled as on the source. */
  finish?: SchemaStatement[];
  /** What the statements could not carry (options a non-superuser cannot read), for SchemaPlan.skipped. */
  skipped?: SkippedObject[];
}

/** How verify compares one object; `signature` must not contain oids. */
export interface KindComparable {
  schema: string;
  name: string;
  table?: string;
  signature: unknown;
}

export interface ObjectKind<Row extends KindRow = KindRow> {
  /** Graph key prefix: rows become nodes `${prefix}:${oid}`. Unique among kinds. */
  readonly prefix: string;
  /** The catalog that holds the rows' oids, as pg_depend's classid names it: `pg_operator`. */
  readonly catalog: string;
  /** The kind's name in messages and in verify's list: `operator`, `text search dictionary`. */
  readonly label: string;
  /**
   * `pre`: created before the data, in dependency order with schemas, types, functions and tables.
   * `post`: created after everything else (event triggers, publications, large objects).
   */
  readonly phase: 'pre' | 'post';
  /** Among objects free to go at the same time, a lower rank goes first (see graph.ts RANK). */
  readonly rank: number;
  /**
   * The catalog query for this server, or null where the server has no such objects (the
   * catalog is absent there). Runs under an empty search_path; rows must have `oid` (text) and
   * `name`; user objects only, extension members excluded (`q.notExtMember`).
   */
  sql(q: CatalogSql): string | null;
  /** Row columns that arrive as json text and are parsed. */
  readonly jsonColumns?: readonly string[];
  /**
   * Catalog rows that are parts of this kind's objects (pg_amop rows of an operator family, say):
   * for each, an SQL expression giving the owning object's oid from the part's oid `id`, so
   * pg_depend rows about the part count as the owner's. Several kinds may claim parts of one
   * catalog (an operator class its bound members, a family the loose ones): each part belongs to
   * the kind whose expression is not null for it.
   */
  readonly parts?: readonly { catalog: string; ownerOid: (id: string) => string }[];
  /**
   * Graph keys (`schema:<oid>`, `<prefix>:<oid>`) this row needs created first beyond what
   * pg_depend and its own schema say: links the server keeps without a pg_depend row.
   */
  needs?(row: Row): string[];
  /** The statements that recreate `row` on the target. */
  statements(row: Row): KindStatements;
  /** How verify compares it; absent: not compared. */
  compare?(row: Row): KindComparable;
  /**
   * Whether a table selection (objects.include/exclude) takes it. Pre-data kinds follow the
   * dependency closure of the selected tables; post-data kinds are whole-database by default.
   */
  readonly withSelection?: boolean;
  /**
   * The option that must be on for these post-data objects to be copied and compared
   * (publications). Off, they are left out as a default, not listed in `skipped`.
   */
  readonly onlyWith?: keyof SchemaOptions;
}

/**
 * Whether a copy with these options takes this kind: one with `onlyWith` only when that option is
 * on (and verify compares it only then). The plan and the compare both ask here.
 */
export function optionsTake(kind: Pick<ObjectKind, 'onlyWith'>, options: Partial<SchemaOptions>): boolean {
  return kind.onlyWith === undefined || options[kind.onlyWith] === true;
}

/** An ObjectKind with its row type erased, as the lists that hold every kind see it. */
// biome-ignore lint/suspicious/noExplicitAny: each kind's statements() narrows its own rows.
export type AnyObjectKind = ObjectKind<any>;

/** `label` for nodes of this kind, then the rows of every kind keyed by prefix. */
export type KindRows = Record<string, KindRow[]>;
