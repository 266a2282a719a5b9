export {
  CONNECTOR_TESTS,
  describeConnector,
  describeConnectorOnMajor,
  describeConnectorSchema,
} from './describe-connector.js';
export { instantiateConnector } from './instantiate.js';
export { compileStrict, errorPath, fieldsOf, sealSecrets } from './schema-check.js';
export { openTcpSockets, serverSessions } from './sockets.js';
export type { ConnectorEnv, ConnectorFactory, ConnectorSubject, ConnectorSuiteOptions } from './types.js';
