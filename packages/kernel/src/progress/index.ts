// Metrics are re-exported here so the kernel's entry needs no change: they are a progress sink.
export * from '../metrics/index.js';
export { type CopyFigures, copyFraction } from './copy-fraction.js';
export { formatBytes, formatCount, formatDuration } from './format.js';
export {
  jsonLinesReporter,
  plainReporter,
  schemaChangeText,
  schemaChangeWarns,
  teeProgress,
} from './progress-reporters.js';
