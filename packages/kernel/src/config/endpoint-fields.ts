import type { ConfigProblem, JsonSchema, PluginDefinition } from '@pgshift/plugin-api';
import type { Redactor } from '../logging/redactor.js';
import type { SchemaCache } from './ajv.js';
import { formatAjvErrors } from './format-errors.js';
import { resolveSecrets, sealSecrets } from './secrets.js';

export interface CheckedBlock {
  value: Record<string, unknown>;
  problems: ConfigProblem[];
}

function declares(schema: JsonSchema | undefined, field: string): boolean {
  const props = schema?.properties;
  return typeof props === 'object' && props !== null && field in props;
}

/**
 * Checks a block of fields that belongs to one plugin (a connector's `source`/`target` fields or
 * another plugin's options) against that plugin's schema, after resolving its secrets.
 * `omit` names fields the core owns (access, and database unless the plugin declares it).
 */
export function checkPluginBlock(
  block: Record<string, unknown>,
  definition: PluginDefinition,
  path: string,
  context: { baseDir: string; redactor: Redactor; schemas: SchemaCache; omit?: readonly string[] },
): CheckedBlock {
  const schema = definition.configSchema;
  const value: Record<string, unknown> = {};
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(block)) {
    if (context.omit?.includes(k) && !declares(schema, k)) kept[k] = v;
    else value[k] = v;
  }
  const secrets = resolveSecrets(value, schema, path, context.baseDir, context.redactor);
  const problems = [...secrets.problems];
  if (schema) {
    let validate: ReturnType<SchemaCache['compile']>;
    try {
      validate = context.schemas.compile(schema);
    } catch (error) {
      problems.push({
        path,
        message: `plugin ${definition.meta.name} has an invalid configSchema (${(error as Error).message}); report this to its author`,
      });
      return { value: { ...kept, ...value }, problems };
    }
    // Fields whose secrets failed to resolve are reported once, not again as a wrong type.
    const failed = new Set(secrets.problems.map((p) => p.path));
    if (!validate(value))
      problems.push(...formatAjvErrors(validate.errors, path).filter((p) => !failed.has(p.path)));
  }
  // Validated (ajv saw the plain text): from here on the values travel as Secret.
  sealSecrets(secrets.slots);
  return { value: { ...kept, ...value }, problems };
}
