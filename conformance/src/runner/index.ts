export { conformanceMajors, RUNNER_ENV } from './env.js';
export {
  type ConformanceReport,
  type ConformanceTestResult,
  type RunConformanceOptions,
  runConformance,
  type TestOutcome,
} from './run-conformance.js';
