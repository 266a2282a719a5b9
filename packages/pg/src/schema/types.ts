/** One DDL statement and what it creates, so a failure names the object. */
export interface SchemaStatement {
  sql: string;
  /** e.g. `table "public"."Order Items"` */
  description: string;
  /**
   * A `CREATE [UNIQUE] INDEX` of a table's post-data that may run in a session of its own, beside
   * the table's other such builds and before the rest of its list. Run in list order, it is
   * simply the first part of the list.
   */
  indexBuild?: true;
  /**
   * The SQL holds a secret (a user mapping's password): errors and logs name the statement by its
   * description alone, never by its SQL.
   */
  sensitive?: true;
}

export interface SchemaOptions {
  copyOwners: boolean;
  copyPrivileges: boolean;
  /** Copy the source's publications (off by default: a target rarely publishes what its source did). */
  copyPublications?: boolean;
}

export interface SchemaPlan {
  /** Schemas, extensions, types, functions, sequences, tables, views: in dependency order. */
  preData: SchemaStatement[];
  /** Per `tableKey`: that table's indexes and PK/UNIQUE/EXCLUDE constraints, run once its data is in. */
  tablePostData: Map<string, SchemaStatement[]>;
  /** Index attachments, FKs, triggers, rules, matview refreshes, post-data comments, owners, grants. */
  postData: SchemaStatement[];
  /** Every sequence (including identity sequences) whose value the loader sets. */
  sequences: { schema: string; name: string }[];
  materializedViews: { schema: string; name: string }[];
  /**
   * What the plan leaves out, for the caller to report: kinds of objects not recreated (foreign
   * tables, operators, casts, ...), foreign keys to tables outside a selection, and objects that
   * need a table outside it (with `needs`).
   */
  skipped?: SkippedObject[];
  /**
   * Statements for the end of the migration, once nothing more is applied to the target: event
   * triggers, created disabled so they do not fire on what pgshift runs, enabled as on the source.
   */
  finish?: SchemaStatement[];
  /** Oids of the large objects post-data creates; the loader copies their contents. */
  largeObjects?: string[];
}

/** One object a plan does not create. */
export interface SkippedObject {
  /** `view`, `function`, `foreign key to a table outside the selection`, `operator`... */
  kind: string;
  /** Quoted and qualified: `"public"."actor_info"`, `"public"."f"(n integer)`. */
  name: string;
  /** The tables outside the selection it needs (directly or through other objects), as `"schema"."name"`. */
  needs?: string[];
}

export interface SchemaSelection {
  /** Absent: the whole database (every non-system schema). */
  tables?: { schema: string; name: string }[];
}

/**
 * One schema object in a form that compares equal between source and target whatever their
 * majors: `signature` holds what defines the object (types, definitions), never oids.
 */
export interface SchemaObject {
  kind: string;
  schema: string;
  name: string;
  /** The table, view or type the object belongs to (columns, indexes, constraints, triggers). */
  table?: string;
  signature: string;
}

/** The key of a table in `SchemaPlan.tablePostData`: `"schema"."name"`. */
export function tableKey(schema: string, name: string): string {
  return `"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`;
}
