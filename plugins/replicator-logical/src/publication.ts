import { BOOKKEEPING_SCHEMA, qualified, quoteIdent } from '@pgshift/pg';
import type { ReplicationContext, TableRef } from '@pgshift/plugin-api';

/**
 * The tables a publication lists: plain tables as selected, partitioned tables replaced by their
 * leaf partitions (PostgreSQL 10 to 12 cannot publish a partitioned table, and leaves are what
 * publish_via_partition_root = false streams on 13+ too).
 */
export async function publishableTables(ctx: ReplicationContext): Promise<TableRef[]> {
  const out = new Map<string, TableRef>();
  for (const table of ctx.database.tables) {
    const { rows } = await ctx.source.query<{ schema: string; name: string }>(
      `WITH RECURSIVE tree(oid) AS (
         SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2
         UNION ALL
         SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.oid
           JOIN pg_class p ON p.oid = t.oid AND p.relkind = 'p'
       )
       SELECT n.nspname AS schema, c.relname AS name
         FROM tree t JOIN pg_class c ON c.oid = t.oid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r'`,
      [table.schema, table.name],
      { database: ctx.database.name },
    );
    for (const row of rows) out.set(`${row.schema}\u0000${row.name}`, row);
  }
  return [...out.values()];
}

/** Creates (or brings up to date) the publication pgoutput streams. Idempotent. */
export async function preparePublication(ctx: ReplicationContext): Promise<void> {
  const database = ctx.database.name;
  const pub = quoteIdent(ctx.publicationName);
  const { rows } = await ctx.source.query<{ all: boolean }>(
    'SELECT puballtables AS all FROM pg_publication WHERE pubname = $1',
    [ctx.publicationName],
    { database },
  );
  const existing = rows[0];
  if (ctx.database.whole) {
    if (existing?.all) return;
    if (existing) await ctx.source.query(`DROP PUBLICATION ${pub}`, [], { database });
    await ctx.source.query(`CREATE PUBLICATION ${pub} FOR ALL TABLES`, [], { database });
    return;
  }
  const tables = await publishableTables(ctx);
  const list = tables.map((t) => qualified(t.schema, t.name)).join(', ');
  if (existing?.all) {
    await ctx.source.query(`DROP PUBLICATION ${pub}`, [], { database });
  } else if (existing) {
    // SET TABLE needs at least one table; an empty selection empties the publication instead.
    if (tables.length > 0)
      await ctx.source.query(`ALTER PUBLICATION ${pub} SET TABLE ${list}`, [], { database });
    else {
      await ctx.source.query(`DROP PUBLICATION ${pub}`, [], { database });
      await ctx.source.query(`CREATE PUBLICATION ${pub}`, [], { database });
    }
    return;
  }
  await ctx.source.query(`CREATE PUBLICATION ${pub}${tables.length > 0 ? ` FOR TABLE ${list}` : ''}`, [], {
    database,
  });
}

/**
 * A capture log of pgshift's (truncates, schema changes) travels in the stream as rows: a FOR TABLE
 * publication must list it too (FOR ALL TABLES already does). Idempotent.
 */
export async function publishCaptureLog(ctx: ReplicationContext, table: string): Promise<void> {
  if (!ctx.decoder.publication || ctx.database.whole) return;
  const database = ctx.database.name;
  const { rows } = await ctx.source.query(
    'SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3',
    [ctx.publicationName, BOOKKEEPING_SCHEMA, table],
    { database },
  );
  if (rows.length === 0)
    await ctx.source.query(
      `ALTER PUBLICATION ${quoteIdent(ctx.publicationName)} ADD TABLE ${qualified(BOOKKEEPING_SCHEMA, table)}`,
      [],
      { database },
    );
}

export async function dropPublication(ctx: ReplicationContext): Promise<void> {
  await ctx.source.query(`DROP PUBLICATION IF EXISTS ${quoteIdent(ctx.publicationName)}`, [], {
    database: ctx.database.name,
  });
}
