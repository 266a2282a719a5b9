/** One error code pgshift (or a first-party plugin) raises: what it means and what to do. */
export interface ErrorCodeEntry {
  /** What happened, in a sentence. */
  what: string;
  /** What to do about it, in general (the error itself carries the specific remedy). */
  remedy: string;
  /** Where the docs say more: a page under docs/ and a heading anchor. */
  docs: string;
}

/**
 * Every error code, in one place: `pgshift explain CODE` prints an entry, and a test makes sure
 * every code thrown anywhere in the tree has one.
 */
export const ERROR_CODES: Readonly<Record<string, ErrorCodeEntry>> = {
  PGSHIFT_ABORTED: {
    what: 'The copy stopped because the run was asked to stop (Ctrl-C, cancel).',
    remedy: 'run again to resume: finished tables and chunks are kept',
    docs: 'finish-and-cancel.md#stop-and-resume-neither-finish-nor-cancel',
  },
  PGSHIFT_CAPABILITY_MISSING: {
    what: 'The task asks a plugin for something its declared capabilities rule out (following through a connector without replication connections, a tls, via.ssh or inventory block its connector does not take, an inventory that does not resolve, a copy step the loader does not declare, a change format the replicator does not read).',
    remedy:
      'use a plugin that declares the capability the error names, or change the config (mode, tls, via) so it is not needed',
    docs: 'plugin-api.md#what-the-kernel-refuses',
  },
  PGSHIFT_CHECK_ERROR: {
    what: 'The prechecks of a queued task could not run.',
    remedy:
      'read the error and the task record (pgshift task show), fix the cause, then start the task again',
    docs: 'tasks.md#status-of-a-task',
  },
  PGSHIFT_CLOUD_API: {
    what: "A cloud provider's API refused or failed a request an inventory made.",
    remedy:
      'check the credentials, region and resource ids of the inventory block; the error shows the API answer',
    docs: 'access-modes.md#tencentcloud',
  },
  PGSHIFT_CONFIG_INVALID: {
    what: 'The task config has mistakes; each is listed with its path.',
    remedy: 'fix every listed field, then pgshift config validate -c FILE',
    docs: 'config.md#top-level-fields',
  },
  PGSHIFT_CONNECTION_LOST: {
    what: 'A connection was lost and reconnecting failed options.reconnectAttempts times in a row.',
    remedy:
      'bring the server (or the jump host) back, then run the task again: it resumes from the durable position',
    docs: 'troubleshooting.md#a-connection-is-lost-during-a-run',
  },
  PGSHIFT_CONSOLE_ERROR: {
    what: 'A request failed inside the web console (the task store could not be read, say); the browser gets no details.',
    remedy: 'read the line pgshift console logged for the request, fix the cause, reload the page',
    docs: 'console.md#the-console-failed-to-answer',
  },
  PGSHIFT_CONSOLE_LISTEN: {
    what: 'pgshift console --listen was not an address and a port.',
    remedy: 'give host:port, e.g. --listen 127.0.0.1:7432 or --listen [::1]:7432',
    docs: 'console.md#start-it',
  },
  PGSHIFT_CONSOLE_REFUSED: {
    what: 'The web console refused a request: no valid CSRF token, a Host header not its own, a page of another site, or no sign-in on a network address.',
    remedy:
      'use the console from its own pages at the address it printed; on a network address sign in at /login with its token',
    docs: 'console.md#when-the-console-refuses-a-request',
  },
  PGSHIFT_CONSOLE_TOKEN: {
    what: 'pgshift console --add-token or --revoke-token was given a label it cannot use: not a valid label, taken already, or no such token.',
    remedy:
      'pgshift console --list-tokens shows the labels; a label is lower-case letters, digits, ".", "_" or "-"',
    docs: 'console.md#loopback-or-a-network-address',
  },
  PGSHIFT_CONSOLE_STATE: {
    what: "The console's token file (tokens.json in its state directory) is damaged.",
    remedy: 'delete it and start the console again: it prints a new token (the old one stops working)',
    docs: 'console.md#loopback-or-a-network-address',
  },
  PGSHIFT_CONFORMANCE_USAGE: {
    what: 'pgshift conformance was given options it cannot use.',
    remedy: 'for example: pgshift conformance ./my-plugin --pg 10,17',
    docs: 'authoring.md#2-install-and-run-the-conformance-suite',
  },
  PGSHIFT_COPY_FAILED: {
    what: 'Copying rows (or large objects) to the target failed.',
    remedy: 'read the target error shown; fix it and run again: finished tables are kept',
    docs: 'schema-copy.md#what-is-carried',
  },
  PGSHIFT_GLOBALS_APPLY: {
    what: 'Roles, memberships or database settings could not be created on the target.',
    remedy:
      'run as a target account allowed to create roles, or set options.copyRoles: false and create them yourself',
    docs: 'config.md#roles-and-instance-settings',
  },
  PGSHIFT_NO_INCREMENTAL: {
    what: 'The source version (or its setup) allows no incremental sync.',
    remedy: 'set mode: full, or install an output plugin the version policy accepts',
    docs: 'config.md#modes',
  },
  PGSHIFT_NO_POLICY: {
    what: "No version-policy plugin covers the source's PostgreSQL version.",
    remedy: 'name a version-policy plugin covering it in plugins, or use a supported source version',
    docs: 'checks.md#connections-and-versions',
  },
  PGSHIFT_PACK: {
    what: 'pgshift pack could not write its tarballs.',
    remedy: 'name a directory you may write to; run it in a checkout or from an installed pgshift',
    docs: 'authoring.md#0-get-pgshift',
  },
  PGSHIFT_PLUGIN_API_VERSION: {
    what: 'A plugin was written against a plugin API this pgshift does not provide.',
    remedy: 'use a plugin version built for this pgshift, or a pgshift matching the plugin',
    docs: 'authoring.md#4-compatibility',
  },
  PGSHIFT_PLUGIN_LOAD: {
    what: 'A plugin could not be found, imported or registered.',
    remedy:
      'check the reference (every place tried is listed), install the package, or report it to its author',
    docs: 'config.md#plugins',
  },
  PGSHIFT_PLUGIN_MISSING: {
    what: 'No loaded plugin provides a loader or replicator the task needs.',
    remedy: 'install the first-party plugin or name one of that kind in plugins',
    docs: 'config.md#plugins',
  },
  PGSHIFT_POST_DATA_FAILED: {
    what: "A table's indexes or constraints could not be built on the target.",
    remedy: 'read the statement and error shown, fix the target, and run again: built tables are kept',
    docs: 'schema-copy.md#order-and-cycles',
  },
  PGSHIFT_REPL_APPLY: {
    what: 'The target refused a change from the source; the group was rolled back.',
    remedy:
      'fix the target (a missing column, a constraint the source lacks, writes made to the target), then run again; pgshift status shows the statement and the position; options.onApplyError: retry tries again by itself',
    docs: 'incremental-sync.md#errors-and-drift',
  },
  PGSHIFT_REPL_DDL_CAPTURE: {
    what: 'options.ddl is replicate, and the source role may not create the event triggers that capture schema changes.',
    remedy:
      'connect to the source as a superuser, or set options.ddl to stop (following stops at a table whose columns the target lacks) or ignore',
    docs: 'incremental-sync.md#schema-changes-during-sync',
  },
  PGSHIFT_REPL_DDL_STOPPED: {
    what: 'Following stopped before a schema change on the source (options.ddl: stop, or a change pgshift cannot apply).',
    remedy:
      'apply the change on the target yourself, then run again with --ddl-applied <database:id> as the message says (or, for a table that no longer matches, just run again)',
    docs: 'incremental-sync.md#schema-changes-during-sync',
  },
  PGSHIFT_REPL_DECODE: {
    what: "The output plugin's messages could not be read.",
    remedy: 'check that the output plugin matches the version policy; report the message shown',
    docs: 'incremental-sync.md#output-plugins',
  },
  PGSHIFT_REPL_DUPLICATE: {
    what: 'A row the source inserted already exists on the target.',
    remedy: 'something wrote to the target during sync; verify, then repair the table or start again',
    docs: 'troubleshooting.md#do-not-write-to-the-target-before-finishing',
  },
  PGSHIFT_REPL_FORMAT: {
    what: 'The output plugin is one the replicator cannot read.',
    remedy: 'use an output plugin the replicator reads (pgoutput, test_decoding, wal2json)',
    docs: 'incremental-sync.md#output-plugins',
  },
  PGSHIFT_REPL_NO_IDENTITY: {
    what: 'A table without replica identity was updated or deleted from on the source.',
    remedy: 'give the table a primary key or REPLICA IDENTITY FULL, then start again',
    docs: 'troubleshooting.md#updates-or-deletes-fail-on-the-source-no-replica-identity',
  },
  PGSHIFT_REPL_SLOT_BUSY: {
    what: 'Another process streams from the replication slot.',
    remedy: 'stop the other run, or end its session on the source as the error says',
    docs: 'troubleshooting.md#other-errors',
  },
  PGSHIFT_REPL_SLOT_CREATE: {
    what: 'The replication slot could not be created on the source.',
    remedy:
      'check max_replication_slots, wal_level = logical and the account REPLICATION attribute (pgshift check)',
    docs: 'checks.md#following-replication-on-the-source',
  },
  PGSHIFT_REPL_SLOT_EXISTS: {
    what: 'A replication slot of the same name already exists on the source.',
    remedy: 'cancel the earlier task that made it, or drop the slot if nothing uses it',
    docs: 'troubleshooting.md#replication-slot-missing',
  },
  PGSHIFT_REPL_SLOT_NAME: {
    what: 'The task name gives no valid replication slot name.',
    remedy: 'use a task name of lower-case letters, digits and underscores',
    docs: 'config.md#top-level-fields',
  },
  PGSHIFT_REPL_STREAM: {
    what: 'The replication stream from the source broke or ended.',
    remedy:
      'check the source and the slot (pgshift status), then run again: following resumes at the durable position',
    docs: 'troubleshooting.md#replication-slot-missing',
  },
  PGSHIFT_REPL_TABLE_MISSING: {
    what: 'A followed table (or column) does not exist on the target.',
    remedy: 'create it on the target first, then run again',
    docs: 'incremental-sync.md#schema-changes-during-sync',
  },
  PGSHIFT_RESOURCE: {
    what: 'A cloud resource named in the config does not exist or is not usable.',
    remedy: 'check the instance, gateway or VPC id and region, and that it is running',
    docs: 'access-modes.md#inventories-how-a-connector-finds-cloud-resources',
  },
  PGSHIFT_ROUTE_UNREACHABLE: {
    what: 'A server could not be reached through its route (address, tunnel, timeout).',
    remedy: 'check host, port, firewall and jump host; raise options.connectTimeoutSeconds on slow links',
    docs: 'access-modes.md#the-modes',
  },
  PGSHIFT_RUN_ERROR: {
    what: 'A worker could not run a claimed task.',
    remedy: 'read the error in the task record (pgshift task show) and start the task again',
    docs: 'tasks.md#workers',
  },
  PGSHIFT_SANDBOX_NO_CHROMIUM: {
    what: "A browser test or the console screenshot script found no Chromium to drive: Debian's /usr/bin/chromium is missing, or $PGSHIFT_CHROMIUM names no executable.",
    remedy:
      'run bash scripts/ci-prerequisites.sh as root (it installs chromium), or set PGSHIFT_CHROMIUM to a Chromium executable',
    docs: 'testing.md#which-browser',
  },
  PGSHIFT_SANDBOX_NO_BINARIES: {
    what: 'No PostgreSQL binaries were found for a sandbox server of that major.',
    remedy:
      'install the npm packages (pnpm install), or point the PGSHIFT_PG_BIN variable of that major at a build',
    docs: 'testing.md#which-servers',
  },
  PGSHIFT_SCAFFOLD: {
    what: 'pgshift create-plugin cannot write the plugin there.',
    remedy: 'give a valid npm package name and a new or empty directory',
    docs: 'authoring.md#1-scaffold',
  },
  PGSHIFT_SCHEMA_APPLY: {
    what: 'A schema statement failed on the target; nothing of its transaction was kept.',
    remedy: 'read the statement and error shown (pgshift check names most causes), fix, and run again',
    docs: 'schema-copy.md#what-is-carried',
  },
  PGSHIFT_SCHEMA_UNKNOWN_TABLE: {
    what: 'The selection names a table the source does not have.',
    remedy: 'fix objects in the config (patterns are schema.table)',
    docs: 'config.md#objects',
  },
  PGSHIFT_SELECTION: {
    what: 'The objects selection matches nothing, or a database that does not exist.',
    remedy: 'fix objects in the config',
    docs: 'config.md#objects',
  },
  PGSHIFT_SNAPSHOT_LOST: {
    what: 'A full copy was interrupted and the snapshot it read is gone.',
    remedy: 'run again with --on-lost-snapshot restart, or cancel the task',
    docs: 'troubleshooting.md#snapshot-lost-after-a-crash-during-the-full-copy',
  },
  PGSHIFT_STATE_CORRUPT: {
    what: "The task's state file cannot be read, or lacks what the next step needs.",
    remedy: 'restore it from a backup, or cancel the task and start again',
    docs: 'finish-and-cancel.md#stop-and-resume-neither-finish-nor-cancel',
  },
  PGSHIFT_STORE_LOCKED: {
    what: 'Another process holds the task store.',
    remedy: 'wait for it, or stop it; a lock of a dead process is taken over',
    docs: 'tasks.md#embedded-default',
  },
  PGSHIFT_STORE_UNAVAILABLE: {
    what: 'The PostgreSQL task store cannot be reached or used.',
    remedy: 'check the store connection and its account',
    docs: 'tasks.md#postgresql-shared',
  },
  PGSHIFT_TARGET_OLDER: {
    what: "The target's PostgreSQL major is older than the source's.",
    remedy: 'migrate to a target of the same or a newer major',
    docs: 'checks.md#connections-and-versions',
  },
  PGSHIFT_TASK_CLOSED: {
    what: 'A task was used after it was closed (a bug of the caller).',
    remedy: 'report it with the command that showed it',
    docs: 'plugin-api.md#connections-and-servers',
  },
  PGSHIFT_TASK_EXISTS: {
    what: 'A task of that name already exists in the store.',
    remedy: 'choose another name, or remove the old task',
    docs: 'tasks.md#cancel-then-start-again',
  },
  PGSHIFT_TASK_NOT_FOUND: {
    what: 'No task of that name is in the store.',
    remedy: 'pgshift task list shows the tasks there',
    docs: 'tasks.md#status-of-a-task',
  },
  PGSHIFT_TASK_RUNNING: {
    what: 'The task is already running in another process.',
    remedy: 'use pgshift status, finish or cancel instead of a second run',
    docs: 'finish-and-cancel.md#finish-cut-over',
  },
  PGSHIFT_TASK_STATE: {
    what: 'The task is in a state that does not allow this action.',
    remedy: 'pgshift task show says its state and what it allows',
    docs: 'tasks.md#status-of-a-task',
  },
  PGSHIFT_TASK_UNKNOWN: {
    what: 'No run of this task is recorded in its state directory.',
    remedy: 'start it with pgshift run -c FILE, or check options.stateDir',
    docs: 'finish-and-cancel.md#finish-cut-over',
  },
  PGSHIFT_TLS: {
    what: 'A connection could not be protected as its sslmode asks: no TLS offered, a certificate not trusted or not for the host name, or a certificate file missing.',
    remedy:
      'the error names the server and the cause; fix the certificate settings in the tls block (sslmode, sslrootcert, servername, sslcert, sslkey) or the server',
    docs: 'access-modes.md#tls',
  },
  PGSHIFT_USAGE: {
    what: 'A command was given options that cannot go together.',
    remedy: 'the error names the option and a form that works',
    docs: 'troubleshooting.md#snapshot-lost-after-a-crash-during-the-full-copy',
  },
  PGSHIFT_LIVE_VERIFY: {
    what: 'Live verify could not compare: the task is not following, or its target did not apply up to a position of the source in time.',
    remedy:
      'start the task with pgshift run (mode full+incremental) and run verify --live while it follows; if sync is only behind, give it longer with --wait-seconds',
    docs: 'verify.md#live-verify-while-sync-runs',
  },
  PGSHIFT_VERIFY_FAILED: {
    what: 'Verify found differences between source and target; the task is not completed.',
    remedy: 'the slots are kept: repair the tables named, then finish again, or cancel',
    docs: 'finish-and-cancel.md#when-verify-finds-differences',
  },
};

/** The entry of `code` (case-insensitive, with or without the PGSHIFT_ prefix). */
export function explainCode(code: string): { code: string; entry: ErrorCodeEntry } | undefined {
  const upper = code.trim().toUpperCase();
  const full = upper.startsWith('PGSHIFT_') ? upper : `PGSHIFT_${upper}`;
  const entry = ERROR_CODES[full];
  return entry ? { code: full, entry } : undefined;
}
