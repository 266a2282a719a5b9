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

/** Triggers pgshift puts on user tables: the TRUNCATE capture (sources before 11), the write guard (targets while following). */
export const CAPTURE_TRUNCATE_TRIGGER = 'pgshift_capture_truncate';
export const WRITE_GUARD_TRIGGER = 'pgshift_guard';

/** For `tgname NOT IN ...`: schema copy and verify never take pgshift's triggers for the user's. */
export const PGSHIFT_TRIGGERS_SQL = `('${CAPTURE_TRUNCATE_TRIGGER}', '${WRITE_GUARD_TRIGGER}')`;
