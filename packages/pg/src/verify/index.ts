export {
  compareLargeObjects,
  type LargeObjectDifference,
  type LargeObjectVerification,
} from './large-objects.js';
export {
  formatLiveVerifyReport,
  type LiveTableVerification,
  type LiveVerifyReport,
  repairedRow,
} from './live-report.js';
export { type LiveVerifyConnections, type LiveVerifyOptions, liveVerifyDatabase } from './live-verify.js';
export { PASS_SLOT_PREFIX } from './pass-slot.js';
export { REPAIRS_TABLE } from './repair-log.js';
export {
  formatVerifyReport,
  type RangeDifference,
  type RowDifference,
  type SchemaDifference,
  type SequenceVerification,
  type TableVerification,
  type VerifyReport,
} from './report.js';
export { hashSumsSql, rowHashExpression, rowTextExpression } from './row-text.js';
export { type ComparableSchemaObject, type VerifyOptions, verifyDatabase } from './verify-database.js';
