/** One column of a table as the copy and verify engines need it. */
export interface ColumnInfo {
  name: string;
  /** `format_type` of the column's type, e.g. `numeric(10,2)` or `"My Type"[]`. */
  type: string;
  /** Computed by the server (GENERATED ALWAYS AS ... STORED): never copied, always compared. */
  generated: boolean;
  /** `a` (ALWAYS), `d` (BY DEFAULT) or empty. */
  identity: string;
  /** The type takes a collation (text-like), so ordering it needs an explicit one to agree everywhere. */
  collatable: boolean;
  /**
   * A built-in type whose binary form is the same on two servers of one major version, so COPY may
   * move it in binary format, cheaper than text for both servers (see inventory.ts SENDABLE).
   */
  sendable?: boolean;
  /**
   * How verify reads the value when its text is not the same on every major: floats (and the
   * geometric types built on them) print differently on PostgreSQL < 12 and >= 12 whatever
   * extra_float_digits says, so they are compared by their exact binary form, `send(col::cast)`.
   * Absent: compared by text.
   */
  binary?: { send: string; cast: string };
}

export interface TableInfo {
  schema: string;
  name: string;
  /** `"schema"."name"`, the key used everywhere (progress table, post-data map). */
  key: string;
  /** pg_table_size: heap plus TOAST. */
  bytes: number;
  /** Heap pages, for ctid ranges. */
  pages: number;
  /** reltuples; -1 when never analyzed. */
  rowEstimate: number;
  columns: ColumnInfo[];
  /** Primary key, else the narrowest unique index on NOT NULL plain columns; empty when none. */
  keyColumns: string[];
  /** A leaf partition (copied directly; its partitioned parent holds no rows). */
  partition: boolean;
}

/** A part of a table copied by one worker in one target transaction. */
export interface ChunkSpec {
  table: string;
  chunk: number;
  /** SQL condition on the source table selecting this chunk; absent = the whole table. */
  predicate?: string;
  /** `ctid` ranges or `key` ranges; rows of ctid chunks may move between snapshots, key chunks cannot. */
  kind: 'whole' | 'ctid' | 'key';
  /** Estimated bytes of the chunk, for ordering and progress. */
  estimatedBytes: number;
}
