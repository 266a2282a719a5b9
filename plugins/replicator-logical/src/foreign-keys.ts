import type pg from 'pg';
import { type RelationRef, relationKey } from './model.js';

/** One foreign key of the target as parallel apply needs it: which columns point where. */
export interface ForeignKey {
  child: RelationRef;
  childColumns: string[];
  parent: RelationRef;
  parentColumns: string[];
  /** A side is partitioned or a partition: the stream names leaves, the key names the root. */
  partitioned: boolean;
}

/** The foreign keys of the target, by the relation key of the child and of the parent. */
export interface ForeignKeys {
  ofChild: Map<string, ForeignKey[]>;
  ofParent: Map<string, ForeignKey[]>;
}

/**
 * Every foreign key of the target database (the copies PostgreSQL makes on partitions included),
 * read once and again after a schema change. The target is a copy of the source's schema, so its
 * constraints are the source's.
 */
export async function readForeignKeys(client: pg.Client): Promise<ForeignKeys> {
  const { rows } = await client.query<{
    child_schema: string;
    child_name: string;
    child_columns: string;
    parent_schema: string;
    parent_name: string;
    parent_columns: string;
    partitioned: boolean;
  }>(
    `SELECT cn.nspname AS child_schema, cc.relname AS child_name,
            (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)::text AS child_columns,
            pn.nspname AS parent_schema, pc.relname AS parent_name,
            (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)::text AS parent_columns,
            (cc.relkind = 'p' OR pc.relkind = 'p' OR cc.relispartition OR pc.relispartition) AS partitioned
       FROM pg_constraint c
       JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
       JOIN pg_class pc ON pc.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE c.contype = 'f'`,
  );
  const keys: ForeignKeys = { ofChild: new Map(), ofParent: new Map() };
  for (const row of rows) {
    const fk: ForeignKey = {
      child: { schema: row.child_schema, name: row.child_name },
      // Column lists as JSON text: the apply sessions read every type as text, arrays included.
      childColumns: JSON.parse(row.child_columns) as string[],
      parent: { schema: row.parent_schema, name: row.parent_name },
      parentColumns: JSON.parse(row.parent_columns) as string[],
      partitioned: row.partitioned,
    };
    for (const [map, ref] of [
      [keys.ofChild, fk.child],
      [keys.ofParent, fk.parent],
    ] as const) {
      const key = relationKey(ref);
      const list = map.get(key) ?? [];
      list.push(fk);
      map.set(key, list);
    }
  }
  return keys;
}
