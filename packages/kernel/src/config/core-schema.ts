import type { JsonSchema } from '@pgshift/plugin-api';

const TASK_NAME_HINT = 'must start with a lower-case letter or digit and contain only a-z, 0-9, "-" and "_"';
const PATTERN_HINT = 'must be a database.schema.table pattern ("*" matches any run of characters)';

const PART = '("([^"]|"")*"|[^."]+)';

const patterns: JsonSchema = {
  type: 'array',
  // One to three dot-separated parts; a part in double quotes may hold dots ("" is a quote).
  items: { type: 'string', minLength: 1, pattern: `^${PART}(\\.${PART}){0,2}$`, 'x-hint': PATTERN_HINT },
};

/**
 * The endpoint block as the core sees it: `access` and the maintenance `database`. The connector's
 * own schema checks every other field in a second pass.
 */
const endpoint: JsonSchema = {
  type: 'object',
  required: ['access'],
  properties: {
    access: { type: 'string', minLength: 1 },
    database: { type: 'string', minLength: 1 },
  },
};

/** A rate limit of `options.limits`: absent or 0 is unlimited. */
const rateLimit: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rowsPerSecond: { type: 'number', minimum: 0 },
    megabytesPerSecond: { type: 'number', minimum: 0 },
  },
};

/** The mode of a config that names none. */
export const DEFAULT_MODE = 'full+incremental';

/** Defaults of `options`; `stateDir` is computed from the config file's place and the task name. */
export const DEFAULT_OPTIONS = {
  jobs: 4,
  copyOwners: false,
  copyPrivileges: false,
  copyPublications: false,
  onLostSnapshot: 'fail',
  // A table copied whole is loaded with COPY FREEZE; split ranges cannot be, and the target then
  // sets a hint bit on every row while building indexes. Measured on 2 CPUs that cost more than
  // the parallel ranges gained (docs/config.md, "Why the defaults are what they are"), so only a
  // table big enough that one failure would re-copy too much is split.
  splitTableBytes: 8 * 1024 ** 3,
  checkTimeoutSeconds: 60,
  connectTimeoutSeconds: 15,
  // About five minutes of waiting in all (0.25 s growing 1.6x to 30 s each): a server restart or
  // a failover fits; a server gone for good fails the run within minutes, with the reason.
  reconnectAttempts: 20,
  reconnectMaxDelaySeconds: 30,
  onApplyError: 'stop',
  applyRetries: 5,
  targetWrites: 'detect',
  // A promoted target is at most this far behind on sequences; each round costs one read per
  // sequence on the source and one statement per sequence on the target.
  sequenceSyncSeconds: 10,
} as const;

/** The core of the config schema; plugin schemas are checked against their own blocks. */
export const coreSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['task', 'source', 'target'],
  properties: {
    task: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          type: 'string',
          minLength: 1,
          maxLength: 63,
          pattern: '^[a-z0-9][a-z0-9_-]*$',
          'x-hint': TASK_NAME_HINT,
        },
        startAt: { type: 'string', format: 'date-time' },
      },
    },
    source: endpoint,
    target: endpoint,
    objects: {
      type: 'object',
      additionalProperties: false,
      properties: {
        databases: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
        include: patterns,
        exclude: patterns,
      },
    },
    mode: { type: 'string', enum: ['full', 'full+incremental', 'schema'] },
    plugins: {
      type: 'array',
      items: {
        // A name, package name or path; or { use, options }.
        type: ['string', 'object'],
        minLength: 1,
        additionalProperties: false,
        required: ['use'],
        properties: {
          use: { type: 'string', minLength: 1 },
          options: { type: 'object' },
        },
      },
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        jobs: { type: 'integer', minimum: 1, maximum: 64 },
        copyOwners: { type: 'boolean' },
        copyPrivileges: { type: 'boolean' },
        copyPublications: { type: 'boolean' },
        copyRoles: { type: 'boolean' },
        stateDir: { type: 'string', minLength: 1 },
        onLostSnapshot: { type: 'string', enum: ['fail', 'restart', 'per-table'] },
        splitTableBytes: { type: 'integer', minimum: 1048576 },
        checkTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
        connectTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 600 },
        reconnectAttempts: { type: 'integer', minimum: 0, maximum: 10000 },
        reconnectMaxDelaySeconds: { type: 'integer', minimum: 1, maximum: 3600 },
        onApplyError: { type: 'string', enum: ['stop', 'retry'] },
        applyRetries: { type: 'integer', minimum: 1, maximum: 10000 },
        targetWrites: { type: 'string', enum: ['detect', 'refuse'] },
        sequenceSyncSeconds: { type: 'integer', minimum: 0, maximum: 86400 },
        limits: {
          type: 'object',
          additionalProperties: false,
          properties: { copy: rateLimit, apply: rateLimit },
        },
        ddl: { type: 'string', enum: ['replicate', 'stop', 'ignore'] },
      },
    },
  },
};
