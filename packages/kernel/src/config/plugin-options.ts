import { ConfigError, optionsOverDefaults, type PluginDefinition } from '@pgshift/plugin-api';
import { Redactor } from '../logging/redactor.js';
import { SchemaCache } from './ajv.js';
import { checkPluginBlock } from './endpoint-fields.js';

/**
 * One plugin's options as a `plugins` entry at `path` gives them: defaultOptions with `given`
 * over them, validated against the plugin's configSchema the way a task config is. For hosts
 * that build a plugin without a config file (the conformance suite); a bad field is a
 * ConfigError naming its path.
 */
export function pluginOptions(
  definition: PluginDefinition,
  given: Readonly<Record<string, unknown>> = {},
  path = 'options',
): Record<string, unknown> {
  const merged = optionsOverDefaults(definition, given);
  // A connector's schema describes its endpoint blocks, an inventory's the `inventory` block of an
  // endpoint (each checked where a config uses it): neither describes plugin options.
  if (definition.meta.kind === 'connector' || definition.meta.kind === 'inventory') return merged;
  const checked = checkPluginBlock(merged, definition, path, {
    baseDir: process.cwd(),
    redactor: new Redactor(),
    schemas: new SchemaCache(),
  });
  if (checked.problems.length > 0)
    throw new ConfigError(checked.problems, {
      remedy: `give ${definition.meta.name} options its configSchema accepts`,
    });
  return checked.value;
}
