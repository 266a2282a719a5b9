import { firstVersionNum } from './server-version.js';

/**
 * What each PostgreSQL major has, as the first `server_version_num` that has it. This one table
 * answers every "does this server have X" question in pgshift — catalog reads, checks, policies,
 * the replicator — so no file keeps a version number of its own.
 */
export const FEATURE_SINCE = {
  /** `json_build_object`, `json_object_agg`; 9.3 has only `json_agg`, `row_to_json`, `to_json`. */
  jsonBuildObject: 90400,
  /** `unnest(a, b)` with several arrays, and `WITH ORDINALITY`. */
  multiArgUnnest: 90400,
  jsonb: 90400,
  logicalDecoding: 90400,
  /** `postgresql.auto.conf` and ALTER SYSTEM; before it settings live only in included files. */
  alterSystem: 90400,
  /** `relreplident`, `indisreplident` and `ALTER TABLE ... REPLICA IDENTITY`. */
  replicaIdentity: 90400,
  /** `aggkind`, `aggmtransfn`, `aggtransspace`, `aggfinalextra` (ordered-set and moving aggregates). */
  aggregateKinds: 90400,
  /** `pg_transform` and CREATE TRANSFORM. */
  transforms: 90500,
  /** `pg_policy`, `relrowsecurity`, `relforcerowsecurity`. */
  rowSecurity: 90500,
  /** `rolbypassrls` and the BYPASSRLS role attribute. */
  bypassRls: 90500,
  replicationOrigins: 90500,
  /** `pg_stat_ssl`: whether each session is encrypted. */
  statSsl: 90500,
  createIndexIfNotExists: 90500,
  tableSample: 90500,
  /** `pg_replication_slots.active_pid`. */
  slotActivePid: 90500,
  /** `proparallel`, `aggcombinefn`, `aggserialfn`, `aggdeserialfn`. */
  parallelSafety: 90600,
  /** `pg_stat_activity.wait_event` (and `wait_event_type`), which names a wait for a synchronous standby `SyncRep`. */
  waitEvents: 90600,
  /** `pg_am.amhandler`, `amtype` and CREATE ACCESS METHOD. */
  accessMethods: 90600,
  /** `pg_current_wal_*` and `*_lsn` names (functions and columns) instead of `pg_current_xlog_*` and `*location`. */
  walFunctionNames: 100000,
  declarativePartitions: 100000,
  identityColumns: 100000,
  /** `pg_sequence`; before it a sequence's options are read from the sequence relation itself. */
  sequenceCatalog: 100000,
  extendedStatistics: 100000,
  /** SCRAM-SHA-256 passwords (`password_encryption`, initdb `--auth-host=scram-sha-256`). */
  scramAuthentication: 100000,
  /** initdb's `--no-sync` (before 10 spelt `--nosync`) and a pg_hba.conf that allows replication connections. */
  initdbModernDefaults: 100000,
  /** `pg_publication` and the built-in pgoutput output plugin. */
  publications: 100000,
  /** `pg_publication.pubtruncate`. */
  publicationTruncate: 110000,
  /** `pg_publication.pubviaroot` (publish_via_partition_root). */
  publicationViaRoot: 130000,
  /** Trusted extensions (`pg_available_extension_versions.trusted`): a non-superuser with CREATE may install them. */
  trustedExtensions: 130000,
  /** Row filters and column lists (`prqual`, `prattrs`) and `FOR TABLES IN SCHEMA` (pg_publication_namespace). */
  publicationFilters: 150000,
  /** `pg_publication.pubgencols` (publish_generated_columns). */
  publicationGeneratedColumns: 180000,
  collationProviders: 100000,
  permissivePolicies: 100000,
  temporarySlots: 100000,
  /** Tables refuse columns of type `unknown`, which CREATE TABLE AS could make before. */
  noUnknownColumns: 100000,
  /**
   * The snapshot a new logical slot exports can be trusted. Before 10 (and before 9.4.12, 9.5.7
   * and 9.6.3, which fixed it) it could miss transactions that committed just before the slot was
   * made, most of all when other logical slots existed or had existed: rows lost by the copy.
   */
  trustedSlotSnapshot: 100000,
  /** `CREATE_REPLICATION_SLOT ... EXPORT_SNAPSHOT`; 9.4-9.6 export a snapshot without the word. */
  slotSnapshotKeyword: 100000,
  truncateDecoding: 110000,
  /** `prokind` and procedures; before it `proisagg` / `proiswindow`. */
  procedures: 110000,
  /** `CREATE OPERATOR (FUNCTION = ...)`; before it only `PROCEDURE = ...`, which later majors still take. */
  operatorFunctionKeyword: 110000,
  /** `indnkeyatts` (INCLUDE columns). */
  coveringIndexes: 110000,
  partitionedIndexes: 110000,
  constraintParents: 110000,
  aggregateFinalModify: 110000,
  generatedColumns: 120000,
  /** Table access methods: `pg_class.relam` of tables, CREATE TABLE ... USING. */
  tableAccessMethods: 120000,
  /** No table has OIDs any more (`WITH OIDS` and `relhasoids` are gone). */
  noTableOids: 120000,
  nondeterministicCollations: 120000,
  triggerParents: 130000,
  /** `pg_pltemplate` is gone: CREATE LANGUAGE without HANDLER means CREATE EXTENSION. */
  noLanguageTemplates: 130000,
  tidRangeScans: 140000,
  /** Postfix (right-unary) operators are gone. */
  noPostfixOperators: 140000,
  multiranges: 140000,
  /** `pg_type.typsubscript` (CREATE TYPE ... SUBSCRIPT). */
  subscripting: 140000,
  /** `attcompression` and `ALTER COLUMN ... SET COMPRESSION`. */
  columnCompression: 140000,
  iculocaleColumn: 150000,
  /** `CREATE_REPLICATION_SLOT ... (SNAPSHOT 'export')`: the parenthesised option list. */
  slotOptionList: 150000,
  /** `pg_auth_members.inherit_option` and `set_option`: GRANT role TO member WITH INHERIT / SET. */
  membershipOptions: 160000,
  collationLocaleColumn: 170000,
} as const satisfies Record<string, number>;

export type ServerFeature = keyof typeof FEATURE_SINCE;

/** Whether a server of `major` (9.5, 17) has `feature`, for code that knows a major, not a server. */
export function majorHasFeature(major: number, feature: ServerFeature): boolean {
  return hasFeature(firstVersionNum(major), feature);
}

/** Whether a server of `versionNum` has `feature`. */
export function hasFeature(versionNum: number, feature: ServerFeature): boolean {
  return versionNum >= FEATURE_SINCE[feature];
}

/** A `has(feature)` bound to one server, for code that asks many questions of it. */
export function featuresOf(versionNum: number): (feature: ServerFeature) => boolean {
  return (feature) => hasFeature(versionNum, feature);
}

/**
 * The state of one replication slot ($1 names it): whether a walsender uses it and that process's
 * pid, where the server says (9.4 does not: pid is NULL there).
 */
export function slotStateSql(versionNum: number): string {
  const pid = hasFeature(versionNum, 'slotActivePid') ? 'active_pid' : 'NULL::int';
  return `SELECT active, ${pid} AS pid FROM pg_catalog.pg_replication_slots WHERE slot_name = $1`;
}

/**
 * The expression for the source's WAL insert position. The insert position, not the flush
 * position: with synchronous_commit off a commit that already returned may lie past the flushed
 * WAL, and draining to the flush position would stop short.
 */
export function walInsertLsnSql(versionNum: number): string {
  return hasFeature(versionNum, 'walFunctionNames')
    ? 'pg_catalog.pg_current_wal_insert_lsn()'
    : 'pg_catalog.pg_current_xlog_insert_location()';
}
