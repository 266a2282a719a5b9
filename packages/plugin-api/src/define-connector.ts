import type { CapabilityFlag } from './capabilities.js';
import type { Connector } from './connector.js';
import { definePluginOfKind, type KindSpec } from './define-kind.js';
import type { JsonSchema, PluginDefinition, Resolver } from './plugin.js';
import { CONNECTOR } from './well-known-tokens.js';

export interface ConnectorPluginSpec<C extends object> extends Omit<KindSpec<object>, 'defaultOptions'> {
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
  return definePluginOfKind('connector', spec, spec.capabilities, (r) => {
    r.value(CONNECTOR, spec.connector(r));
  });
}
