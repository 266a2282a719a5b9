import type pg from 'pg';

/**
 * Runs `body` with an empty search_path, as pg_dump does: every `pg_get_*def`, `format_type` and
 * `pg_get_expr` then schema-qualifies what it names, so the text means the same on the target.
 * The caller's setting is put back afterwards.
 */
export async function withEmptySearchPath<T>(client: pg.Client, body: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ path: string }>(
    "SELECT pg_catalog.current_setting('search_path') AS path",
  );
  const previous = rows[0]?.path ?? '';
  await client.query("SELECT pg_catalog.set_config('search_path', '', false)");
  try {
    return await body();
  } finally {
    // In an aborted transaction this fails too; the original error is the one worth seeing.
    await client.query("SELECT pg_catalog.set_config('search_path', $1, false)", [previous]).catch(() => {});
  }
}
