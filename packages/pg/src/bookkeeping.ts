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

/**
 * How the names of pgshift's replication slots and publications on a source begin (the kernel
 * makes them, see replicationName): the schema copy never carries such a publication.
 */
export const REPLICATION_NAME_PREFIX = 'pgshift_';
