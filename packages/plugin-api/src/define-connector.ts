import type { CapabilityFlag } from './capabilities.js';
import type { Connector } from './connector.js';
import {
  definePlugin,
  type JsonSchema,
  PLUGIN_API_VERSION,
  type PluginDefinition,
  type Resolver,
} from './plugin.js';
import { CONNECTOR } from './well-known-tokens.js';

export interface ConnectorPluginSpec<C extends object> {
  /** The plugin's name (`meta.name`), usually the `access` value that selects it. */
  name: string;
  version: string;
  description: string;
  capabilities: readonly CapabilityFlag[];
  /** The fields of a `source`/`target` block beside `access`. */
  configSchema: JsonSchema;
  /**
   * The connector, given what the host provides (INVENTORIES, LOGGER). The kernel hands its
   * `open` a block only after validating it against configSchema.
   */
  connector(resolver: Resolver): Connector<C>;
}

/** Declares a connector plugin: definePlugin with kind `connector` and the current plugin API, registering the connector under CONNECTOR. */
export function defineConnector<C extends object>(spec: ConnectorPluginSpec<C>): PluginDefinition {
  return definePlugin({
    meta: {
      name: spec.name,
      version: spec.version,
      kind: 'connector',
      apiVersion: PLUGIN_API_VERSION,
      description: spec.description,
    },
    capabilities: spec.capabilities,
    configSchema: spec.configSchema,
    register(r) {
      r.value(CONNECTOR, spec.connector(r));
    },
  });
}
