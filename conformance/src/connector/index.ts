export {
  connectorChecks,
  errorText,
  expectNoSecret,
  isRouteError,
  missingFieldProblems,
  wrongTypeProblems,
} from './checks.js';
export {
  CONNECTOR_TESTS,
  describeConnector,
  describeConnectorOnMajor,
  describeConnectorSchema,
} from './describe-connector.js';
export { APP, ConnectorHarness, SERVER_PASSWORD, WRONG_PASSWORD } from './harness.js';
export { instantiateConnector } from './instantiate.js';
export { compileStrict, errorPath, fieldsOf, sealSecrets } from './schema-check.js';
export { openTcpSockets, serverSessions } from './sockets.js';
export type { ConnectorEnv, ConnectorFactory, ConnectorSubject, ConnectorSuiteOptions } from './types.js';
