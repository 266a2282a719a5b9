import { BOOKKEEPING_SCHEMA } from '@pgshift/pg';
import {
  patternsSelectSchema,
  patternsSelectTable,
  type ResolvedDatabase,
  type TableRef,
} from '@pgshift/plugin-api';
import { type RelationRef, relationKey } from './model.js';

/**
 * The transient heap a table rewrite (ALTER COLUMN TYPE, a volatile default) fills: sources
 * before 9.6 decode its rows as inserts into `pg_temp_<oid>` in the table's schema.
 */
const REWRITE_HEAP = /^pg_temp_\d+$/;

/**
 * Which source tables the follower applies changes for: the selection's tables (leaf partitions
 * included), plus tables created during sync that the objects block selects (see ddl-replay.ts),
 * minus those dropped. The text formats stream every table of the database and a publication may
 * list a table another task selected, so rows of other tables are left out here; pgshift's own
 * bookkeeping never is a followed table.
 */
export class FollowedTables {
  readonly #database: ResolvedDatabase;
  readonly #tables = new Set<string>();
  readonly #dropped = new Set<string>();
  /** Decoders share one ref per relation, so most answers need no key string. */
  #answers = new WeakMap<RelationRef, boolean>();

  /** `leaves`: the leaf partitions of selected partitioned tables (what the stream names). */
  constructor(database: ResolvedDatabase, leaves: readonly TableRef[] = []) {
    this.#database = database;
    for (const table of [...database.tables, ...leaves]) this.#tables.add(relationKey(table));
  }

  /** The whole database is selected: its schema changes all belong to the task. */
  get whole(): boolean {
    return this.#database.whole;
  }

  follows(ref: RelationRef): boolean {
    const known = this.#answers.get(ref);
    if (known !== undefined) return known;
    const answer = this.#decide(ref);
    this.#answers.set(ref, answer);
    return answer;
  }

  #decide(ref: RelationRef): boolean {
    if (ref.schema === BOOKKEEPING_SCHEMA || REWRITE_HEAP.test(ref.name)) return false;
    const key = relationKey(ref);
    if (this.#tables.has(key)) return true;
    if (this.#dropped.has(key) || !this.#database.whole) return false;
    // A whole database follows its tables of tomorrow too, as far as the patterns reach.
    const patterns = this.#database.patterns;
    return patterns === undefined || patternsSelectTable(patterns, ref.schema, ref.name);
  }

  /**
   * Whether a table created during sync is to be followed: the objects block selects it, or it is
   * a partition of a followed table.
   */
  selectsNew(table: TableRef, parent: TableRef | undefined): boolean {
    if (table.schema === BOOKKEEPING_SCHEMA) return false;
    if (parent && this.follows(parent)) return true;
    const patterns = this.#database.patterns;
    if (patterns === undefined) return this.#database.whole;
    return patternsSelectTable(patterns, table.schema, table.name);
  }

  /** Whether objects of a schema other than tables (views, types, functions) are followed. */
  selectsSchema(schema: string): boolean {
    if (schema === BOOKKEEPING_SCHEMA) return false;
    const patterns = this.#database.patterns;
    if (patterns === undefined) return this.#database.whole;
    return patternsSelectSchema(patterns, schema);
  }

  add(table: TableRef): void {
    const key = relationKey(table);
    this.#tables.add(key);
    this.#dropped.delete(key);
    this.#answers = new WeakMap();
  }

  remove(table: TableRef): void {
    const key = relationKey(table);
    this.#tables.delete(key);
    this.#dropped.add(key);
    this.#answers = new WeakMap();
  }
}
