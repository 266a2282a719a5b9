import type { JsonSchema } from '@pgshift/plugin-api';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

// ajv-formats is CommonJS: NodeNext types the default import as its module.exports, whose
// `default` is the plugin; an ESM-interop loader hands over the plugin itself, whose `default`
// ajv-formats also sets to the plugin. Either way `.default` is it.
const addFormats = formatsModule.default;

/** Keywords pgshift adds to JSON Schema: `x-secret` marks a secret field, `x-hint` explains a pattern. */
export const CUSTOM_KEYWORDS = ['x-secret', 'x-hint'] as const;

export function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    useDefaults: true,
    keywords: [...CUSTOM_KEYWORDS],
  });
  addFormats(ajv);
  return ajv;
}

/** Compiles each schema object once per Ajv instance. */
export class SchemaCache {
  readonly #ajv = createAjv();
  readonly #compiled = new WeakMap<JsonSchema, ValidateFunction>();

  compile(schema: JsonSchema): ValidateFunction {
    let fn = this.#compiled.get(schema);
    if (!fn) {
      fn = this.#ajv.compile(schema);
      this.#compiled.set(schema, fn);
    }
    return fn;
  }
}
