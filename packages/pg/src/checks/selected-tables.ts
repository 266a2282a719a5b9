import type { ResolvedSelection, ServerHandle } from '@pgshift/plugin-api';
import { qualified } from '../quote.js';
import { SELECTED_TABLES_SQL, selectedTableParams } from './selection.js';

/** A row found in one selected database, with that database's name. */
export type InDatabase<R> = R & { database: string };

/**
 * Runs `sql` in every selected database of `server` (only the partly selected ones with
 * `partialOnly`), $1 and $2 being the database's selected tables as SELECTED_TABLES_SQL reads
 * them, and returns every row with its database's name, database by database.
 */
export async function querySelectedTables<R extends object>(
  server: ServerHandle,
  selection: ResolvedSelection,
  sql: string,
  options: { partialOnly?: boolean } = {},
): Promise<InDatabase<R>[]> {
  const found: InDatabase<R>[] = [];
  for (const db of selection.databases) {
    if (options.partialOnly && db.whole) continue;
    const { rows } = await server.query<R>(sql, selectedTableParams(db), { database: db.name });
    for (const row of rows) found.push({ database: db.name, ...row });
  }
  return found;
}

/** SQL for querySelectedTables: the selected tables, as (schema, name), that meet `condition` on pg_class c. */
export function selectedTablesWhere(condition: string): string {
  return `WITH sel AS (${SELECTED_TABLES_SQL})
           SELECT n.nspname AS schema, c.relname AS name
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN sel ON sel.nspname = n.nspname AND sel.relname = c.relname
            WHERE ${condition}
            ORDER BY 1, 2`;
}

/**
 * A remedy that alters each table in its own database: `intro`, then per database a
 * `-- in database NAME:` line (`-- on the target, in database NAME:` with `onTarget`) and
 * `ALTER TABLE "schema"."name" <change>;` for each of its tables, in the order given.
 */
export function alterEachTable<T extends InDatabase<{ schema: string; name: string }>>(
  intro: string,
  tables: readonly T[],
  change: string | ((table: T) => string),
  options: { onTarget?: boolean } = {},
): string[] {
  const lines = [intro];
  let current: string | undefined;
  for (const t of tables) {
    if (t.database !== current) {
      current = t.database;
      lines.push(`-- ${options.onTarget ? 'on the target, ' : ''}in database ${current}:`);
    }
    lines.push(
      `ALTER TABLE ${qualified(t.schema, t.name)} ${typeof change === 'string' ? change : change(t)};`,
    );
  }
  return lines;
}
