import { CORE_DEFAULTS, CORE_DESCRIPTIONS, coreSchema } from '@pgshift/kernel';
import type { PluginDefinition } from '@pgshift/plugin-api';
import { type FormField, type FormNode, fieldsOf, formNodes } from './form-model.js';

export const SIDES = ['source', 'target'] as const;
export type Side = (typeof SIDES)[number];

/**
 * The core fields the form shows. Left out: `source`/`target` (the connector's fieldsets show
 * them), `plugins` (a list of mixed shapes: import a YAML file for those) and `options.stateDir`
 * (a stored task runs in the store's own directory whatever it says).
 */
export function coreNodes(): FormNode[] {
  return formNodes(coreSchema, '', {
    descriptions: CORE_DESCRIPTIONS,
    defaults: CORE_DEFAULTS,
    skip: ['source', 'target', 'plugins', 'options.stateDir'],
  });
}

/** One connector's fields for one side: everything its schema takes but `access`. */
export function endpointNodes(connector: PluginDefinition, side: Side): FormNode[] {
  return formNodes(connector.configSchema, side, {
    defaults: Object.fromEntries(
      Object.entries(connector.defaultOptions ?? {}).map(([k, v]) => [`${side}.${k}`, v]),
    ),
  });
}

/** The access mode a side shows first: public-ip when installed (the common case), else the first. */
export function defaultAccess(connectors: readonly PluginDefinition[]): string | undefined {
  return (connectors.find((c) => c.meta.name === 'public-ip') ?? connectors[0])?.meta.name;
}

/** The fields a submitted form is read from: the core's and those of each side's chosen connector. */
export function submittedFields(
  connectors: readonly PluginDefinition[],
  access: Readonly<Record<Side, string>>,
): FormField[] {
  const sides = SIDES.flatMap((side) => {
    const connector = connectors.find((c) => c.meta.name === access[side]);
    return connector ? fieldsOf(endpointNodes(connector, side)) : [];
  });
  return [...fieldsOf(coreNodes()), ...sides];
}
