export {
  BOOKKEEPING_SCHEMA,
  CAPTURE_TRUNCATE_TRIGGER,
  NON_USER_SCHEMAS_SQL,
  PGSHIFT_TRIGGERS_SQL,
  REPLICATION_NAME_PREFIX,
  WRITE_GUARD_TRIGGER,
} from './bookkeeping.js';
export * from './checks/index.js';
export { clientConfig, connectClient, exactTypes, openClient } from './connect.js';
export { connectionLoss } from './connection-loss.js';
export * from './copy/index.js';
export { directRoute } from './direct-route.js';
export * from './globals/index.js';
export { bigIntToLsn, compareLsn, lsnDiff, lsnToBigInt, maxLsn, ZERO_LSN } from './lsn.js';
export { frontendMessage, MESSAGE } from './protocol-messages.js';
export { qualified, quoteIdent, quoteLiteral } from './quote.js';
export {
  type ApplyOptions,
  applyStatements,
  assertTargetNotOlder,
  catalogSql,
  createIndexIfNotExists,
  planSchema,
  readSchemaObjects,
  SchemaError,
  type SchemaObject,
  type SchemaOptions,
  type SchemaPlan,
  type SchemaSelection,
  type SchemaStatement,
  type SkippedObject,
  tableKey,
  targetMajorCheck,
  targetOlderProblem,
  USER_NSP,
} from './schema/index.js';
export {
  FEATURE_SINCE,
  featuresOf,
  hasFeature,
  majorHasFeature,
  type ServerFeature,
  slotStateSql,
  walInsertLsnSql,
} from './server-features.js';
export { createServerHandle, sessionOf } from './server-handle.js';
export { firstVersionNum, majorName, majorVersion, serverVersionNum } from './server-version.js';
export { type EffectiveTls, effectiveTls } from './tls.js';
export { inSavepoint, inTransaction } from './transaction.js';
export { parseTxidSnapshot, snapshotSees, type TxidSnapshot, widenXid } from './txid-snapshot.js';
export * from './verify/index.js';
export {
  columnsWithSpecialNumbers,
  WAL2JSON_NUMBERS_AS_STRINGS,
  wal2jsonAcceptsNumbersAsStrings,
  wal2jsonNumbersLossMessage,
} from './wal2json-numbers.js';
