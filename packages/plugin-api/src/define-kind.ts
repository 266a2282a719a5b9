import {
  definePlugin,
  type JsonSchema,
  PLUGIN_API_VERSION,
  type PluginDefinition,
  type PluginKind,
  type Registrar,
} from './plugin.js';

/** What defineChecker and its kin take besides what their kind registers. */
export interface KindSpec<O extends object> {
  /** The plugin's name (`meta.name`). */
  name: string;
  version: string;
  description: string;
  configSchema?: JsonSchema;
  defaultOptions?: O;
}

/** definePlugin for one kind, written against the current plugin API (the define helpers' common part). */
export function definePluginOfKind<O extends object>(
  kind: PluginKind,
  spec: KindSpec<O>,
  capabilities: readonly string[],
  register: (registrar: Registrar<O>) => void,
): PluginDefinition<O> {
  return definePlugin<O>({
    meta: {
      name: spec.name,
      version: spec.version,
      kind,
      apiVersion: PLUGIN_API_VERSION,
      description: spec.description,
    },
    capabilities,
    ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    ...(spec.defaultOptions ? { defaultOptions: spec.defaultOptions } : {}),
    register,
  });
}
