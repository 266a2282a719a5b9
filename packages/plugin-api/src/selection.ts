/** What the user picked, as written in the config's `objects` block. */
export interface ObjectSelection {
  /** Databases to migrate; absent means every non-template database. */
  databases?: string[];
  /** `database.schema.table` patterns (`*` matches any run of characters); absent means all. */
  include?: string[];
  exclude?: string[];
}

export interface TableRef {
  schema: string;
  name: string;
}

/** The selection resolved against the source: per database, the tables that will move. */
export interface ResolvedSelection {
  wholeInstance: boolean;
  databases: ResolvedDatabase[];
}

export interface ResolvedDatabase {
  name: string;
  /** Every table of the database is selected (no include/exclude narrowed it). */
  whole: boolean;
  tables: TableRef[];
  /**
   * The objects block's patterns for this database, for deciding about tables created after the
   * selection was resolved (schema changes followed during sync). Absent: only `tables` count.
   */
  patterns?: TablePatterns;
}

/** `schema`: the schema alone, no rows and no following. */
export type MigrationMode = 'full' | 'full+incremental' | 'schema';

/**
 * One `schema.table` part of an objects pattern, within a database already chosen: anchored
 * regular-expression sources that mean the same to JavaScript and to PostgreSQL's `~` (so the
 * source can apply them too). An absent part matches everything.
 */
export interface TablePattern {
  schema?: string;
  table?: string;
}

/** The objects block as it applies inside one database; an empty `include` selects all. */
export interface TablePatterns {
  include: TablePattern[];
  exclude: TablePattern[];
}

function partMatches(source: string | undefined, value: string): boolean {
  return source === undefined || new RegExp(source, 's').test(value);
}

/** Whether a table (one created later too) belongs to the selection. */
export function patternsSelectTable(patterns: TablePatterns, schema: string, table: string): boolean {
  const hit = (p: TablePattern) => partMatches(p.schema, schema) && partMatches(p.table, table);
  return (patterns.include.length === 0 || patterns.include.some(hit)) && !patterns.exclude.some(hit);
}

/**
 * Whether a schema's objects other than tables (views, types, functions, sequences) belong to the
 * selection: some include pattern reaches into it, and no exclude pattern takes it whole.
 */
export function patternsSelectSchema(patterns: TablePatterns, schema: string): boolean {
  return (
    (patterns.include.length === 0 || patterns.include.some((p) => partMatches(p.schema, schema))) &&
    !patterns.exclude.some((p) => p.table === undefined && partMatches(p.schema, schema))
  );
}
