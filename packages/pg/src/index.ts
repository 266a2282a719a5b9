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
  buildGraph,
  type Catalog,
  CatalogIndex,
  catalogSql,
  cloneNameFixes,
  collationDdl,
  createIndexIfNotExists,
  defaultAclDdl,
  dependencyOrder,
  extensionDdl,
  functionDdl,
  functionGrantTarget,
  functionTarget,
  type GraphNode,
  grantDdl,
  indexAttachments,
  type KindRow,
  largeObjectKind,
  laterConstraints,
  OBJECT_KINDS,
  objectKind,
  optionsTake,
  ownerDdl,
  postDataComments,
  readCatalog,
  readSchemaObjects,
  relationDdl,
  rowSecurity,
  SchemaError,
  type SchemaObject,
  type SchemaOptions,
  type SchemaPlan,
  type SchemaSelection,
  type SchemaStatement,
  type SkippedObject,
  schemaDdl,
  selectObjectsStrictly,
  sequenceDdl,
  statement,
  statisticsObjects,
  superuserOnlyFlags,
  tableKey,
  tablePostData,
  targetMajorCheck,
  targetOlderProblem,
  triggersAndRules,
  typeDdl,
  USER_NSP,
  viewsNeedingConstraints,
  withEmptySearchPath,
} from './schema/index.js';
export { type SequenceSettings, sequenceOptions } from './schema/sequence-options.js';
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
export {
  applyFixedSettings,
  FIXED_SETTINGS,
  fixedSettingsOptions,
  fixedSettingsSql,
  type SessionSetting,
} from './session-settings.js';
export { createSlotCommand, type SlotSnapshotSyntax } from './slot-command.js';
export { leadingWords, splitStatements } from './sql-statements.js';
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
