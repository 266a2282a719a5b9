/**
 * Every error pgshift raises carries a stable `code` (for scripts and docs), a sentence for a
 * person (`message`) and, where one exists, a `remedy` saying what to do about it.
 */
export interface PgshiftErrorOptions {
  remedy?: string;
  cause?: unknown;
  /** Extra structured facts for `--json` output; must never contain secrets. */
  details?: Record<string, unknown>;
}

export class PgshiftError extends Error {
  readonly code: string;
  readonly remedy: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: PgshiftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.remedy = options.remedy;
    this.details = options.details;
  }
}

/** One problem found in a config file, located by a dotted path such as `source.port`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export class ConfigError extends PgshiftError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options: PgshiftErrorOptions = {}) {
    const lines = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    super('PGSHIFT_CONFIG_INVALID', lines.join('\n'), options);
    this.problems = problems;
  }
}

export class PluginLoadError extends PgshiftError {
  constructor(message: string, options: PgshiftErrorOptions = {}) {
    super('PGSHIFT_PLUGIN_LOAD', message, options);
  }
}

export class PluginApiVersionError extends PgshiftError {
  constructor(plugin: string, pluginApiVersion: string, supported: string) {
    super(
      'PGSHIFT_PLUGIN_API_VERSION',
      `plugin ${plugin} was written for plugin API ${pluginApiVersion}, but this pgshift supports ${supported}`,
      {
        remedy: `install a version of ${plugin} built for plugin API ${supported}, or a pgshift that supports ${pluginApiVersion}`,
        details: { plugin, pluginApiVersion, supported },
      },
    );
  }
}

/** A route to a server could not be opened; `route` describes it without secrets. */
export class RouteError extends PgshiftError {
  readonly route: string;

  constructor(route: string, message: string, options: PgshiftErrorOptions = {}) {
    super('PGSHIFT_ROUTE_UNREACHABLE', `${route}: ${message}`, options);
    this.route = route;
  }
}

/** A cloud resource named in the config does not exist or is not usable. */
export class ResourceError extends PgshiftError {
  constructor(message: string, options: PgshiftErrorOptions = {}) {
    super('PGSHIFT_RESOURCE', message, options);
  }
}

export class MigrationError extends PgshiftError {}

export function isPgshiftError(value: unknown): value is PgshiftError {
  return value instanceof PgshiftError;
}
