export {
  describeLoader,
  describeLoaderMeta,
  describeLoaderOnMajor,
  LOADER_TESTS,
} from './describe-loader.js';
export { AFTER_SNAPSHOT, FIDELITY_DATA, FIDELITY_SCHEMA, FIDELITY_TABLES } from './fidelity.js';
export { FIXED_SETTINGS, multisetDifference, rowHashes, ServerPair } from './sides.js';
export { type PluginFactory, type PluginSubject, subjectOf } from './types.js';
