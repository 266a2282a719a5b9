export { ForwardedStream } from './forwarded-stream.js';
export { fingerprint, type KnownHost, knownHostKeys, readKnownHosts } from './host-key.js';
export { type InventoryRef, openInventory } from './inventory.js';
export {
  INVENTORY_CONNECTOR_CAPABILITIES,
  type InventoryEndpointBlock,
  inventoryConnector,
  type LocatedServer,
} from './inventory-connector.js';
export { probeTcp } from './probe.js';
export {
  type EndpointFields,
  endpointFields,
  openRoute,
  ROUTE_CAPABILITIES,
  type RouteSpec,
} from './route.js';
export {
  accountProperties,
  type ConnectorSchemaSpec,
  commonProperties,
  connectorSchema,
  inventoryRefSchema,
  portSchema,
  requiredWhen,
  secretSchema,
  stringSchema,
  viaSchema,
} from './schema.js';
export { revealSecret, type SecretValue } from './secret-text.js';
export { startTestBastion, type TestBastion, type TestBastionOptions } from './test-bastion.js';
export { type TlsConfig, tlsSchema, tlsSettings } from './tls-config.js';
export { openTunnelCount, type SshJumpConfig, SshTunnel, type TunnelContext } from './tunnel.js';
