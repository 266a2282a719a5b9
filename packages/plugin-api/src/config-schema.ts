import type { JsonSchema } from './plugin.js';

/**
 * JSON Schema fragments for a plugin's configSchema. They pass ajv in full strict mode (the
 * kernel's `x-secret` keyword included).
 */

/**
 * A secret given inline, as `{ env: NAME }` or as `{ file: PATH }`. The kernel resolves it, keeps
 * it out of every log and error, and hands it to the plugin as a `Secret` (`.reveal()` for the text).
 */
export function secretSchema(description: string): JsonSchema {
  return {
    description,
    'x-secret': true,
    anyOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        properties: { env: { type: 'string', minLength: 1 } },
        required: ['env'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { file: { type: 'string', minLength: 1 } },
        required: ['file'],
        additionalProperties: false,
      },
    ],
  };
}

/** A TCP port. */
export const portSchema: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };

/** A non-empty string. */
export function stringSchema(description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', minLength: 1, description, ...extra };
}
