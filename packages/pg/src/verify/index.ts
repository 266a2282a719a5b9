export {
  compareLargeObjects,
  type LargeObjectDifference,
  type LargeObjectVerification,
} from './large-objects.js';
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
