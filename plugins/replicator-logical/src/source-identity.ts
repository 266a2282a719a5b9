import type { ReplicationContext } from '@pgshift/plugin-api';
import type { RelationIdentity, RelationRef } from './model.js';
import { relationKey } from './model.js';

/**
 * Replica identity of source tables, for the text formats (test_decoding, wal2json) that do not
 * say which columns an old tuple holds. Read from the source catalog once per table.
 */
export class SourceIdentities {
  readonly #ctx: ReplicationContext;
  readonly #cache = new Map<string, RelationIdentity>();

  constructor(ctx: ReplicationContext) {
    this.#ctx = ctx;
  }

  /** After a schema change: every identity is read again when next needed. */
  forgetAll(): void {
    this.#cache.clear();
  }

  /** The identity when it was read already (no round trip). */
  cached(ref: RelationRef): RelationIdentity | undefined {
    return this.#cache.get(relationKey(ref));
  }

  async of(ref: RelationRef): Promise<RelationIdentity> {
    const key = relationKey(ref);
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const { rows } = await this.#ctx.source.query<{ ident: string; attname: string | null }>(
      `SELECT c.relreplident::text AS ident, a.attname::text
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_index i ON i.indrelid = c.oid
              AND ((c.relreplident = 'd' AND i.indisprimary) OR (c.relreplident = 'i' AND i.indisreplident))
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
        WHERE n.nspname = $1 AND c.relname = $2
        ORDER BY a.attnum`,
      [ref.schema, ref.name],
      { database: this.#ctx.database.name },
    );
    const ident = rows[0]?.ident;
    const identity: RelationIdentity = {
      replicaIdentity:
        ident === 'f' ? 'full' : ident === 'i' ? 'index' : ident === 'n' ? 'nothing' : 'default',
      keyColumns: rows.flatMap((r) => (r.attname === null ? [] : [r.attname])),
    };
    this.#cache.set(key, identity);
    return identity;
  }
}
