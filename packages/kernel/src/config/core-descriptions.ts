import { DEFAULT_MODE, DEFAULT_OPTIONS } from './core-schema.js';

/**
 * What each field of the core schema means, by config path (`plugins[].use` for array items). The
 * schema itself carries no descriptions; the config reference (scripts/gen-config-reference.ts)
 * and the console's new-task form both read them from here.
 */
export const CORE_DESCRIPTIONS: Record<string, string> = {
  task: 'The task: its name and optional start time.',
  'task.name': 'Names the task and its state directory.',
  'task.startAt': 'When to start (ISO 8601 with a time zone); absent = as soon as possible.',
  source: 'The server to migrate from. Every other field belongs to the connector named by `access`.',
  'source.access': 'Connector plugin that reaches the server (see Connectors below).',
  'source.database': 'Maintenance database pgshift connects to for catalog queries (postgres).',
  target: 'The server to migrate to; same shape as `source`.',
  'target.access': 'Connector plugin that reaches the server (see Connectors below).',
  'target.database': 'Maintenance database pgshift connects to for catalog queries (postgres).',
  objects: 'What to migrate; absent = every database of the instance that is not a template.',
  'objects.databases': 'Databases to migrate.',
  'objects.include': 'database[.schema[.table]] patterns to include; absent = everything.',
  'objects.exclude': 'database[.schema[.table]] patterns to leave out.',
  mode: '`full` copies once; `full+incremental` copies, then follows changes until finish; `schema` copies the schema alone (no rows, no following).',
  plugins:
    'Plugins to load besides the first-party defaults: a name, package or path, or `{ use, options }`.',
  'plugins[].use': 'Plugin name, package name or path (relative to the config file).',
  'plugins[].options': "The plugin's options, checked against its schema (see Other plugins below).",
  options: 'Tuning of the run.',
  'options.jobs': 'Parallel copy workers.',
  'options.copyOwners': 'Copy ownership (ALTER ... OWNER TO).',
  'options.copyPrivileges': 'Copy GRANTs and default privileges.',
  'options.copyPublications':
    "Copy the source's publications (CREATE PUBLICATION with its tables, row filters and column lists); never pgshift's own.",
  'options.copyRoles':
    "Create the source's roles the target lacks (attributes, password hashes where readable, memberships, settings), and give each created database its owner, grants and settings. Default: on without `objects` (whole instance), off with it.",
  'options.stateDir':
    'Where the task keeps its state; relative to the config file. Default `<config dir>/.pgshift/<task name>`.',
  'options.onLostSnapshot':
    'When a resumed full copy finds its snapshot gone: fail, restart, or copy the rest per table.',
  'options.splitTableBytes': 'Tables larger than this are split into ranges several workers share.',
  'options.checkTimeoutSeconds': 'Time each precheck may take before it counts as Failed.',
  'options.connectTimeoutSeconds': 'Time allowed to open a route to a server.',
  'options.reconnectAttempts':
    'Consecutive failed attempts to reconnect after a lost connection before the run fails (0: fail at once).',
  'options.reconnectMaxDelaySeconds': 'The longest wait between two attempts to reconnect.',
  'options.onApplyError':
    'When the target refuses a change while following: stop the run, or retry it from the durable position.',
  'options.applyRetries': 'With onApplyError: retry, attempts in a row before the run stops.',
  'options.sequenceSyncSeconds':
    "While following, how often the target's sequences are moved up to the source's values (never back), so a target promoted without finish is safe; 0 leaves them to finish.",
  'options.limits':
    'Rate limits for the whole task, each shared by all its workers; absent or 0 = unlimited. Changed while the task runs by `pgshift set` or `pgshift task set`.',
  'options.limits.copy':
    'The full copy: rows and COPY bytes read from the source, over every copy job of the task.',
  'options.limits.copy.rowsPerSecond': 'Rows per second the copy reads from the source.',
  'options.limits.copy.megabytesPerSecond':
    'Megabytes (10^6 bytes) of COPY data per second read from the source.',
  'options.limits.apply':
    'Following: rows and bytes of the changes applied to the target, over every database of the task.',
  'options.limits.apply.rowsPerSecond': 'Changed rows per second applied to the target.',
  'options.limits.apply.megabytesPerSecond':
    'Megabytes (10^6 bytes) per second of changes applied, as they came from the source.',
  'options.ddl':
    'Schema changes on the source during sync: replicate (applied on the target in order with the rows), stop (following stops before each, naming it), or ignore. Default: replicate where the source role is a superuser (event triggers need one), else stop where the stream shows a changed table.',
  'options.targetWrites':
    'Writes to the target by others than pgshift while following: detect (reported as they happen) or refuse.',
};

/** The value a core field takes when the config leaves it out, by config path. */
export const CORE_DEFAULTS: Readonly<Record<string, unknown>> = {
  mode: DEFAULT_MODE,
  ...Object.fromEntries(Object.entries(DEFAULT_OPTIONS).map(([k, v]) => [`options.${k}`, v])),
};
