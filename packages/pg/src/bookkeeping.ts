/**
 * The schema pgshift keeps its own state in, on either server (copy progress, apply position,
 * captured truncates). It is never copied, verified or selected as user data.
 */
export const BOOKKEEPING_SCHEMA = 'pgshift';

/**
 * Schemas that never hold user data to move, as an SQL list for `nspname NOT IN (...)`: the system
 * catalogs and pgshift's own bookkeeping.
 */
export const NON_USER_SCHEMAS_SQL = `('pg_catalog', 'information_schema', '${BOOKKEEPING_SCHEMA}')`;
