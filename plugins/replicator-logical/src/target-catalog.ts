import { qualified, quoteIdent } from '@pgshift/pg';
import type pg from 'pg';
import { CODES, ReplicationError } from './errors.js';
import type { RelationRef } from './model.js';
import { relationKey } from './model.js';

export interface TargetColumn {
  name: string;
  /**
   * The type to cast parameters to: the type's own schema-qualified name without a type modifier,
   * so the column's modifier applies with assignment rules (a too-long value fails instead of
   * being cut, as `::varchar(3)` or `::bit` would do).
   */
  cast: string;
  generated: boolean;
}

/** A unique index or exclusion constraint: what makes reordering two rows' changes unsafe. */
export interface UniqueKey {
  /** Plain key columns (INCLUDE columns are not part of the key). */
  columns: string[];
  /** An exclusion constraint: its operators need not be equality, so its columns say little. */
  exclusion: boolean;
}

export interface TargetTable {
  ref: RelationRef;
  sql: string;
  /** A partitioned table has no rows of its own. */
  partitioned: boolean;
  /** Has GENERATED ALWAYS AS IDENTITY columns: inserts need OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
  columns: Map<string, TargetColumn>;
  uniqueKeys: UniqueKey[];
}

/** Reads (and caches) the target's definition of each table changes arrive for. */
export class TargetCatalog {
  readonly #client: pg.Client;
  readonly #serverVersion: number;
  readonly #cache = new Map<string, TargetTable>();
  readonly #byRef = new WeakMap<RelationRef, { key: string; table: TargetTable }>();

  constructor(client: pg.Client, serverVersion: number) {
    this.#client = client;
    this.#serverVersion = serverVersion;
  }

  /** The target's server_version_num. */
  get serverVersion(): number {
    return this.#serverVersion;
  }

  forget(ref: RelationRef): void {
    this.#cache.delete(relationKey(ref));
  }

  /** After a schema change: every table is read again when next needed. */
  forgetAll(): void {
    this.#cache.clear();
  }

  /** The table when it was read already (no round trip). */
  cached(ref: RelationRef): TargetTable | undefined {
    // Decoders share one ref object per relation, so most lookups need no key string.
    const known = this.#byRef.get(ref);
    if (known && this.#cache.get(known.key) === known.table) return known.table;
    const key = relationKey(ref);
    const table = this.#cache.get(key);
    if (table) this.#byRef.set(ref, { key, table });
    return table;
  }

  async table(ref: RelationRef): Promise<TargetTable> {
    const key = relationKey(ref);
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const generated = this.#serverVersion >= 120000 ? "a.attgenerated <> ''" : 'false';
    const { rows } = await this.#client.query<{
      oid: string;
      relkind: string;
      attname: string | null;
      typnsp: string | null;
      typname: string | null;
      generated: boolean | null;
      always: boolean | null;
    }>(
      `SELECT c.oid::text AS oid, c.relkind::text AS relkind, a.attname::text, tn.nspname::text AS typnsp, t.typname::text,
              ${generated} AS generated, a.attidentity = 'a' AS always
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         LEFT JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
        ORDER BY a.attnum`,
      [ref.schema, ref.name],
    );
    const first = rows[0];
    if (!first)
      throw new ReplicationError(
        CODES.tableMissing,
        `table ${qualified(ref.schema, ref.name)} does not exist on the target`,
        {
          remedy: 'create it on the target (the schema step copies it), then resume',
        },
      );
    const columns = new Map<string, TargetColumn>();
    for (const row of rows) {
      if (row.attname === null || row.typname === null || row.typnsp === null) continue;
      columns.set(row.attname, {
        name: row.attname,
        cast: `${quoteIdent(row.typnsp)}.${quoteIdent(row.typname)}`,
        generated: row.generated === true,
      });
    }
    const table: TargetTable = {
      ref,
      sql: qualified(ref.schema, ref.name),
      partitioned: first.relkind === 'p',
      identityAlways: rows.some((r) => r.always === true),
      columns,
      uniqueKeys: await this.#uniqueKeys(first.oid),
    };
    this.#cache.set(key, table);
    return table;
  }

  async #uniqueKeys(oid: string): Promise<UniqueKey[]> {
    // INCLUDE columns (11+) follow the key columns in indkey and do not make rows unique.
    const keyCount = this.#serverVersion >= 110000 ? 'i.indnkeyatts' : 'i.indnatts';
    // Expression parts (attnum 0) are left out: only the plain columns matter to the caller.
    const { rows } = await this.#client.query<{ columns: string; exclusion: boolean }>(
      `SELECT array_to_json(ARRAY(SELECT a.attname::text
                      FROM generate_series(0, ${keyCount} - 1) AS k(n)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n]
                     ORDER BY k.n))::text AS columns,
              i.indisexclusion AS exclusion
         FROM pg_index i
        WHERE i.indrelid = $1::oid AND (i.indisunique OR i.indisexclusion)`,
      [oid],
    );
    return rows.map((r) => ({ columns: JSON.parse(r.columns) as string[], exclusion: r.exclusion }));
  }
}

/** Column of `table` by source name, or a coded error when the target lacks it. */
export function targetColumn(table: TargetTable, name: string): TargetColumn {
  const column = table.columns.get(name);
  if (!column)
    throw new ReplicationError(
      CODES.tableMissing,
      `column ${quoteIdent(name)} of ${table.sql} does not exist on the target`,
      {
        remedy: 'make the target table match the source (the schema step copies it), then resume',
      },
    );
  return column;
}
