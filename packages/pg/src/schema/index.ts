/**
 * Native schema copy: read a database's schema from the source's catalogs (10 to 17) and plan
 * the DDL that recreates it on a target of the same or a newer major, without pg_dump.
 *
 *   planSchema(source, selection, options) -> { preData, tablePostData, postData, sequences,
 *     materializedViews, skipped }
 *   applyStatements(target, statements, { atomic? })   run them (sets search_path = '' and
 *     check_function_bodies = off for the duration, as the statements assume)
 *   readSchemaObjects(client, selection?)               a comparable list for verify
 *   targetMajorCheck(source, target)                    refuse a target older than the source
 */
export { type ApplyOptions, applyStatements } from './apply.js';
export { catalogSql, USER_NSP } from './catalog-sql.js';
export { createIndexIfNotExists } from './ddl-post.js';
export { SchemaError } from './errors.js';
export { readSchemaObjects, readSelectedSequences, schemaObjects } from './objects.js';
export { buildPlan, planSchema } from './plan.js';
export type {
  SchemaObject,
  SchemaOptions,
  SchemaPlan,
  SchemaSelection,
  SchemaStatement,
  SkippedObject,
} from './types.js';
export { tableKey } from './types.js';
export { assertTargetNotOlder, targetMajorCheck, targetOlderProblem } from './version-check.js';
