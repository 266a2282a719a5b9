export {
  binaryCopyable,
  copyColumns,
  emptyForFreeze,
  pumpChunk,
  sourceCopySql,
  targetCopySql,
} from './copy-chunk.js';
export { CopyError, isLostSnapshotError, SnapshotLostError } from './errors.js';
export { readTableInventory } from './inventory.js';
export { keyColumnInfo, keyExpression, keyOrder, keyRangePredicates, keySplitPoints } from './key-ranges.js';
export {
  copyLargeObjects,
  LargeObjectCopyError,
  type LargeObjectCopyOptions,
  type LargeObjectCopyResult,
} from './large-objects.js';
export {
  advanceSequences,
  applySequences,
  readSequenceNames,
  readSequences,
  type SequenceValue,
} from './sequences.js';
export { type ExportedSnapshot, exportSnapshot, importSnapshot, snapshotAlive } from './snapshot.js';
export type { ChunkSpec, ColumnInfo, TableInfo } from './types.js';
