/**
 * Schema toolkit: read a database's schema from the source's catalogs (10 to 17), order it by
 * its dependencies and write each object's DDL, without pg_dump. Which statements run in which
 * phase (the schema plan) is the loader's decision: plugins/loader-native composes these.
 *
 *   readCatalog(client, versionNum), buildGraph / dependencyOrder, CatalogIndex, the *Ddl writers
 *   applyStatements(target, statements, { atomic? })   run them (sets search_path = '' and
 *     check_function_bodies = off for the duration, as the statements assume)
 *   readSchemaObjects(client, selection?)               a comparable list for verify
 *   targetMajorCheck(source, target)                    refuse a target older than the source
 */
export { type ApplyOptions, applyStatements } from './apply.js';
export { type Catalog, readCatalog } from './catalog.js';
export { CatalogIndex } from './catalog-index.js';
export { catalogSql, USER_NSP } from './catalog-sql.js';
export { cloneNameFixes } from './clone-names.js';
export { defaultAclDdl, grantDdl, ownerDdl } from './ddl-acl.js';
export {
  createIndexIfNotExists,
  indexAttachments,
  laterConstraints,
  postDataComments,
  rowSecurity,
  statisticsObjects,
  tablePostData,
  triggersAndRules,
} from './ddl-post.js';
export {
  collationDdl,
  extensionDdl,
  functionDdl,
  functionGrantTarget,
  functionTarget,
  relationDdl,
  schemaDdl,
  sequenceDdl,
  typeDdl,
} from './ddl-pre.js';
export { superuserOnlyFlags } from './ddl-table.js';
export { viewsNeedingConstraints } from './deferred-views.js';
export { SchemaError } from './errors.js';
export { buildGraph, dependencyOrder, type GraphNode } from './graph.js';
export { type KindRow, OBJECT_KINDS, objectKind, optionsTake } from './kinds/index.js';
export { largeObjectKind } from './kinds/large-object.js';
export { readSchemaObjects, readSelectedSequences, schemaObjects } from './objects.js';
export { selectObjectsStrictly } from './selection.js';
export { withEmptySearchPath } from './session.js';
export { statement } from './sql-text.js';
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
