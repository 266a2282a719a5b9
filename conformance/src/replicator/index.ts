export {
  describeReplicator,
  describeReplicatorMeta,
  describeReplicatorOnMajor,
  REPLICATOR_TESTS,
} from './describe-replicator.js';
export { runWorkload, transaction, WORKLOAD_SCHEMA, WORKLOAD_SEED, WORKLOAD_TABLES } from './workload.js';
