export { type MetricsServer, startMetricsServer } from './metrics-server.js';
export { METRIC_STAGES, ProgressMetrics } from './progress-metrics.js';
