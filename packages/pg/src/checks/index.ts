export { connectionRemedy, probeConnectivity } from './connectivity.js';
export {
  clientHostFromError,
  describeError,
  errorCode,
  isHbaRejection,
  isNetworkError,
  isReplicationPrivilegeError,
} from './errors.js';
export { follows, unlessUnfollowable } from './following.js';
export { FollowingChecker } from './following-checker.js';
export { GuardedChecker } from './guarded-checker.js';
export { databaseHbaLine, hbaAddress, hbaAuthMethod, replicationHbaLine } from './hba.js';
export { firstLoadableOutputPlugin, withProbeSlot } from './probe-slot.js';
export { followedDatabases, replicationFailures, versionNumOrCurrent } from './replication-sessions.js';
export { checkResult, guardCheck } from './result.js';
export {
  alterEachTable,
  type InDatabase,
  querySelectedTables,
  selectedTablesWhere,
} from './selected-tables.js';
export { formatBytes, listNames, SELECTED_TABLES_SQL, selectedTableParams } from './selection.js';
export { connectionUser, withSession } from './session.js';
