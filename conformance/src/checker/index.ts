export { checkedResults, summarize, worstStatus } from './assertions.js';
export { footprint, type ServerFootprint, settledFootprint } from './connections.js';
export {
  CHECKER_TESTS,
  describeChecker,
  describeCheckerMeta,
  describeCheckerOnMajor,
  describeCheckerUnreachable,
} from './describe-checker.js';
export {
  ConformanceServers,
  type ContextSpec,
  type DatabaseSpec,
  resolveSelection,
  type ServerSpec,
  unreachableHandle,
} from './servers.js';
export { standInPolicy } from './stand-in-policy.js';
export type { Arrange, CheckerArrangements, CheckerFactory, CheckerSubject, Outcome } from './types.js';
