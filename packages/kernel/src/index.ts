export { resolveSelection, SelectionError } from './checks/resolve-selection.js';
export {
  type CheckReport,
  type CheckSummary,
  type RunChecksOptions,
  runChecks,
} from './checks/run-checks.js';
export { CORE_DEFAULTS, CORE_DESCRIPTIONS } from './config/core-descriptions.js';
export { coreSchema, DEFAULT_MODE, DEFAULT_OPTIONS } from './config/core-schema.js';
export { formatAjvErrors } from './config/format-errors.js';
export { type LoadedConfig, loadConfig, type PendingPlugin } from './config/load-config.js';
export { lostSnapshotConflict } from './config/lost-snapshot.js';
export { pluginOptions } from './config/plugin-options.js';
export { findSecretFields, type SecretField } from './config/secrets.js';
export * from './config/task-config.js';
export { ERROR_CODES, type ErrorCodeEntry, explainCode } from './errors/error-codes.js';
export { loadTask, MissingPluginError } from './load-task.js';
export * from './loaded-task.js';
export { exitCodeOf, formatError } from './logging/format-error.js';
export { createLogger, type LogFormat, type LoggerOptions } from './logging/logger.js';
export { Redactor } from './logging/redactor.js';
export * from './orchestrator/index.js';
export { pgshiftHome } from './pgshift-home.js';
export { checkApiVersion } from './plugins/api-version.js';
export {
  type ConformanceStatus,
  conformanceReportPath,
  conformanceStatus,
  conformanceText,
  saveConformanceReport,
} from './plugins/conformance-reports.js';
export {
  discoverFirstPartyPackages,
  FIRST_PARTY_MANIFEST,
  type FirstPartyManifestEntry,
  type FirstPartyPackage,
} from './plugins/first-party.js';
export {
  type ImportOptions,
  importModule,
  PREPARE_FOREIGN_IMPORTS,
  prepareForeignImports,
} from './plugins/import-module.js';
export { inventoryLookup } from './plugins/inventory-lookup.js';
export { listPlugins, type PluginRow, pluginRow, sortPluginRows } from './plugins/list-plugins.js';
export { packageDirOf, resolvePackage } from './plugins/package-entry.js';
export { type FoundPlugin, PluginCatalog, PluginNotFoundError } from './plugins/plugin-catalog.js';
export * from './progress/index.js';
export * from './stored-tasks/index.js';
