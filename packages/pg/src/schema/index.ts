export { type ApplyOptions, applyStatements } from './apply.js';
export { SchemaError } from './errors.js';
export { readSchemaObjects, schemaObjects } from './objects.js';
export { buildPlan, planSchema } from './plan.js';
export type { SchemaObject, SchemaOptions, SchemaPlan, SchemaSelection, SchemaStatement } from './types.js';
export { tableKey } from './types.js';
export { assertTargetNotOlder, targetMajorCheck } from './version-check.js';
