export * from './checker/index.js';
export * from './connector/index.js';
export { instantiateForSuite, suiteHost } from './host.js';
export * from './loader/index.js';
export * from './options.js';
export * from './replicator/index.js';
export { conformanceMajors, RUNNER_ENV } from './runner/env.js';
export * from './version-policy/index.js';
