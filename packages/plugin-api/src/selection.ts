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
}

/** `schema`: the schema alone, no rows and no following. */
export type MigrationMode = 'full' | 'full+incremental' | 'schema';
