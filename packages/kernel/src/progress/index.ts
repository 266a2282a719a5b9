export { formatBytes, formatCount, formatDuration } from './format.js';
export { jsonLinesReporter, plainReporter, teeProgress } from './progress-reporters.js';
