import { leadingWords, qualified, quoteLiteral, type SequenceSettings, sequenceOptions } from '@pgshift/pg';
import type { DdlHandling, Logger, ProgressSink, SchemaChangeOutcome, TableRef } from '@pgshift/plugin-api';
import type { Applier } from './applier.js';
import {
  commandStatement,
  createsTable,
  createsTemporary,
  type DdlObject,
  type DdlRecord,
  ddlRecord,
  objectTable,
  targetStatement,
} from './ddl-command.js';
import { CODES, ReplicationError } from './errors.js';
import type { FollowedTables } from './followed-tables.js';
import type { GroupBuilder } from './group-builder.js';
import type { Change, RelationChange } from './model.js';
import type { SourceIdentities } from './source-identity.js';
import type { TargetCatalog } from './target-catalog.js';
import { guardTriggerSql } from './write-guard.js';

export interface DdlReplayParts {
  handling: DdlHandling;
  database: string;
  slotName: string;
  applier: Applier;
  identities: SourceIdentities;
  catalog: TargetCatalog;
  groups: GroupBuilder;
  followed: FollowedTables;
  /**
   * Runs statements on a target session of their own, outside the group's transaction (ALTER
   * TYPE ... ADD VALUE); returns the target's error rather than throwing it.
   */
  runAlone(texts: string[]): Promise<{ code?: string; message: string } | undefined>;
  logger: Logger;
  progress: ProgressSink;
  /** Commits the group's whole transactions now and waits until the target has. */
  commitWholeTransactions(): Promise<void>;
  /**
   * A source sequence's settings when the target would make it otherwise from the same
   * statement (sources before 10, where every sequence counts in bigint); undefined elsewhere.
   */
  sourceSequence(identity: string): Promise<SequenceSettings | undefined>;
  /** The target's server_version_num. */
  targetVersion: number;
}

/** What becomes of a captured command; `outcome` is what the target's history records. */
type Decision =
  | { action: 'apply'; statement: string }
  | { action: 'pass'; statement: string; outcome: 'ignored' | 'outside selection' | 'applied by hand' }
  | { action: 'stop'; statement: string | undefined; reason: string }
  | { action: 'none' };

export const DDL_HISTORY_TABLE = 'pgshift.ddl_history';
const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS ${DDL_HISTORY_TABLE} (
  slot_name text NOT NULL, source_id bigint NOT NULL, tag text NOT NULL, statement text,
  outcome text NOT NULL, source_xid bigint, recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (slot_name, source_id))`;

/**
 * Turns the captured schema changes of the stream (ddl-capture.ts) back into statements on the
 * target, at their place among the rows and in the same target transaction, which then commits
 * on its own: what was held is sent first, the statement runs under the search_path it ran under
 * on the source, the target's table definitions and the source identities are read again, and the
 * outcome is written to `pgshift.ddl_history` in that same transaction, so a crash never leaves a
 * change applied and unrecorded. New tables the selection takes join the followed set; dropped
 * ones leave it.
 */
export class DdlReplay {
  readonly #parts: DdlReplayParts;
  readonly #byHand: ReadonlySet<string>;
  #dropped: DdlRecord | undefined;
  #historyReady = false;

  constructor(parts: DdlReplayParts) {
    this.#parts = parts;
    this.#byHand = new Set(parts.handling.appliedByHand ?? []);
  }

  /** Takes a row of the capture log; only inserts carry commands. */
  async take(change: Change): Promise<void> {
    if (change.kind !== 'insert') return;
    const record = ddlRecord(change.new);
    if (!record) return;
    if (record.kind === 'drop') {
      this.#dropped = record;
      return;
    }
    const dropped = this.#droppedFor(record);
    this.#dropped = undefined;
    if (record.kind === 'skip') return;
    await this.#handle(record, dropped);
  }

  /**
   * Under `stop` (and the default policy), a table whose definition the stream announces anew
   * (pgoutput) must still match the target's: where schema changes cannot be captured (no
   * superuser on the source), this is how a changed table is noticed before its rows are applied
   * to a table that no longer fits. Where they are captured, the change was applied just before.
   */
  async checkDefinition(change: RelationChange): Promise<void> {
    const { policy, defaulted } = this.#parts.handling;
    if (policy !== 'stop' && !defaulted) return;
    // Only "no such table" means the target lacks it; any other failure (a lost connection) is
    // not a schema change and goes to the reconnect policy as it is.
    const table = await this.#parts.catalog.table(change.relation).catch((error: unknown) => {
      if (error instanceof ReplicationError && error.code === CODES.tableMissing) return undefined;
      throw error;
    });
    const onTarget = table ? [...table.columns.values()].filter((c) => !c.generated).map((c) => c.name) : [];
    // Columns only the target has are fine (filled by their defaults; made there first, say).
    const onlySource = change.columns.filter((c) => !onTarget.includes(c));
    if (table && onlySource.length === 0) return;
    if (this.#parts.groups.openTransactionEmpty) await this.#parts.commitWholeTransactions();
    const name = `${change.relation.schema}.${change.relation.name}`;
    const what = table
      ? `columns the target lacks: ${onlySource.join(', ')}`
      : 'it does not exist on the target';
    throw new ReplicationError(
      CODES.ddlStopped,
      `following stopped: table ${name} changed on the source and no longer matches the target (${what})`,
      {
        remedy: `make the same change to ${name} on the target database ${this.#parts.database}, then run pgshift run again: following resumes before the first change to it`,
        details: { database: this.#parts.database, table: name },
      },
    );
  }

  /** What the command dropped, when sql_drop recorded it just before. */
  #droppedFor(record: DdlRecord): DdlObject[] | undefined {
    const drop = this.#dropped;
    if (!drop || drop.xid !== record.xid || drop.statementAt !== record.statementAt) return undefined;
    return drop.ordinal === record.ordinal ? (drop.objects ?? []) : undefined;
  }

  async #handle(record: DdlRecord, dropped: DdlObject[] | undefined): Promise<void> {
    const decision = this.#decide(record, dropped);
    const { database } = this.#parts;
    if (decision.action === 'none') return;
    if (decision.action === 'stop') {
      // Stop exactly before it: what committed before its transaction stays applied.
      if (this.#parts.groups.openTransactionEmpty) await this.#parts.commitWholeTransactions();
      throw stopError(database, record, decision.statement, decision.reason);
    }
    if (decision.action === 'pass') {
      await this.#record(record, decision.statement, decision.outcome);
      this.#parts.logger.info(`schema change on the source passed over (${decision.outcome})`, {
        database,
        id: record.id,
        statement: decision.statement,
      });
      this.#parts.progress.emit({
        type: 'schema-change',
        database,
        id: `${database}:${record.id}`,
        statement: decision.statement,
        outcome: decision.outcome,
      });
      if (decision.outcome === 'applied by hand') this.#follow(record, dropped);
      return;
    }
    await this.#apply(record, decision.statement);
    this.#follow(record, dropped);
  }

  #decide(record: DdlRecord, dropped: DdlObject[] | undefined): Decision {
    const policy = this.#parts.handling.policy;
    const statement = commandStatement(record);
    if (statement && createsTemporary(statement)) return { action: 'none' };
    // sql_drop saw only temporary objects or pgshift's own: nothing of the user's changed.
    if (dropped && !dropped.some((o) => o.temporary !== true)) return { action: 'none' };
    const text = statement ?? record.query;
    const scope = statement ? this.#scope(record, dropped) : 'unreadable';
    if (scope === 'outside') return { action: 'pass', statement: text, outcome: 'outside selection' };
    if (this.#byHand.has(`${this.#parts.database}:${record.id}`))
      return { action: 'pass', statement: text, outcome: 'applied by hand' };
    if (policy === 'ignore') return { action: 'pass', statement: text, outcome: 'ignored' };
    if (scope === 'unreadable')
      return {
        action: 'stop',
        statement: undefined,
        reason: `its text is not among the statements the client sent (${record.tag} run by a function or a DO block)`,
      };
    if (scope === 'mixed')
      return {
        action: 'stop',
        statement,
        reason: 'it changes objects both inside and outside the selection',
      };
    if (scope === 'unknown')
      return {
        action: 'stop',
        statement,
        reason:
          'the source (9.4) cannot say which objects it changes, and only part of the database is selected',
      };
    if (policy === 'stop' || !statement) return { action: 'stop', statement, reason: 'options.ddl is stop' };
    return { action: 'apply', statement };
  }

  /** Whether the command's objects are inside the selection. */
  #scope(record: DdlRecord, dropped: DdlObject[] | undefined): 'inside' | 'outside' | 'mixed' | 'unknown' {
    const followed = this.#parts.followed;
    if (record.objects === undefined) return followed.whole ? 'inside' : 'unknown';
    const objects = [...record.objects, ...(dropped ?? [])];
    if (objects.length === 0) return 'inside';
    const inside = objects.map((o) => this.#objectInside(record, o));
    if (inside.every(Boolean)) return 'inside';
    return inside.some(Boolean) ? 'mixed' : 'outside';
  }

  #objectInside(record: DdlRecord, object: DdlObject): boolean {
    const followed = this.#parts.followed;
    const owner = objectTable(object);
    if (owner && (object.rel_kind === 'r' || object.rel_kind === 'p')) {
      if (followed.follows(owner.table)) return true;
      return createsTable(record) && followed.selectsNew(owner.table, owner.parent);
    }
    if (object.type === 'table' && object.schema && object.name)
      return followed.follows({ schema: object.schema, name: object.name });
    if (object.type === 'schema') return followed.selectsSchema(object.identity);
    const schema = object.rel_schema ?? object.schema;
    // Objects of no schema (extensions, languages, foreign data wrappers) belong to the database.
    return schema ? followed.selectsSchema(schema) : true;
  }

  async #apply(record: DdlRecord, statement: string): Promise<void> {
    const { applier, groups, identities, database, logger, progress } = this.#parts;
    const target = targetStatement(statement);
    const searchPath = `SELECT pg_catalog.set_config('search_path', ${quoteLiteral(record.searchPath)}, false)`;
    let failed: { code?: string; message: string } | undefined;
    if (target.outsideTransaction) {
      // What an earlier group created (the type itself) must be committed for another session.
      await applier.settle();
      failed = await this.#parts.runAlone([searchPath, target.text]);
    } else {
      failed = await applier.runSchemaChange([
        searchPath.replace(/false\)$/, 'true)'),
        target.text,
        'SET LOCAL search_path TO DEFAULT',
        ...(await this.#sequenceAlignment(record)),
        ...this.#guards(record),
      ]);
    }
    identities.forgetAll();
    groups.endGroupAfterTransaction();
    if (failed && !alreadyOnTarget(statement, failed.code))
      throw applyError(database, record, statement, failed.message);
    const outcome: SchemaChangeOutcome = failed ? 'already on the target' : 'applied';
    await this.#record(record, statement, failed ? `${outcome} (${failed.message})` : outcome);
    if (failed)
      logger.warn('schema change already on the target: passed over', {
        database,
        id: record.id,
        statement,
        reason: failed.message,
      });
    else logger.info('schema change applied on the target', { database, id: record.id, statement });
    progress.emit({ type: 'schema-change', database, id: `${database}:${record.id}`, statement, outcome });
  }

  /**
   * A sequence the command created (a serial column, CREATE SEQUENCE) gets the source's settings:
   * from a source before 10 the same statement makes an int sequence on a newer target where the
   * source's counts in bigint.
   */
  async #sequenceAlignment(record: DdlRecord): Promise<string[]> {
    if (!record.tag.startsWith('CREATE')) return [];
    const statements: string[] = [];
    for (const o of record.objects ?? []) {
      if (o.type !== 'sequence') continue;
      const settings = await this.#parts.sourceSequence(o.identity);
      if (!settings) continue;
      const as = this.#parts.targetVersion >= 100000 ? ' AS bigint' : '';
      statements.push(`ALTER SEQUENCE ${o.identity}${as} ${sequenceOptions(settings)}`);
    }
    return statements;
  }

  /** The write guard on each new table that is followed, as on the others (write-guard.ts). */
  #guards(record: DdlRecord): string[] {
    return this.#createdTables(record).map((t) => guardTriggerSql(qualified(t.schema, t.name)));
  }

  /** The tables a CREATE TABLE (AS) made that the selection takes. */
  #createdTables(record: DdlRecord): TableRef[] {
    if (!createsTable(record)) return [];
    // A table appears once per subcommand (its foreign keys are added by one of their own).
    const tables = new Map<string, TableRef>();
    for (const o of record.objects ?? []) {
      const owner = o.type === 'table' ? objectTable(o) : undefined;
      if (owner && this.#parts.followed.selectsNew(owner.table, owner.parent))
        tables.set(qualified(owner.table.schema, owner.table.name), owner.table);
    }
    return [...tables.values()];
  }

  /** New tables the selection takes join the followed set; dropped tables leave it. */
  #follow(record: DdlRecord, dropped: DdlObject[] | undefined): void {
    const followed = this.#parts.followed;
    for (const table of this.#createdTables(record)) followed.add(table);
    for (const o of dropped ?? [])
      if (o.type === 'table' && o.schema && o.name) followed.remove({ schema: o.schema, name: o.name });
  }

  /** The outcome, in the group's transaction: committed together with what it describes. */
  async #record(record: DdlRecord, statement: string, outcome: string): Promise<void> {
    const statements = this.#historyReady ? [] : [CREATE_HISTORY];
    this.#historyReady = true;
    statements.push(
      `INSERT INTO ${DDL_HISTORY_TABLE} (slot_name, source_id, tag, statement, outcome, source_xid)
       VALUES (${quoteLiteral(this.#parts.slotName)}, ${Number(record.id)}, ${quoteLiteral(record.tag)},
               ${quoteLiteral(statement)}, ${quoteLiteral(outcome)}, ${record.xid ? Number(record.xid) : 'NULL'})
       ON CONFLICT (slot_name, source_id) DO NOTHING`,
    );
    await this.#parts.applier.runStatements(statements, DDL_HISTORY_TABLE);
  }
}

/**
 * Errors that say the target has the change already: made there by hand first (the way
 * docs/incremental-sync.md gave before schema changes were followed), or by an earlier attempt.
 */
const ALREADY_ON_TARGET = new Set([
  '42701', // duplicate_column
  '42P07', // duplicate_table
  '42710', // duplicate_object
  '42P06', // duplicate_schema
  '42723', // duplicate_function
]);

/** Errors of a DROP that say the object is gone already (or was temporary: 9.4 cannot tell). */
const ALREADY_GONE = new Set([
  '42P01', // undefined_table
  '42704', // undefined_object
  '42883', // undefined_function
  '3F000', // invalid_schema_name
]);

function alreadyOnTarget(statement: string, code: string | undefined): boolean {
  if (code === undefined) return false;
  return ALREADY_ON_TARGET.has(code) || (leadingWords(statement, 1)[0] === 'DROP' && ALREADY_GONE.has(code));
}

function applyError(
  database: string,
  record: DdlRecord,
  statement: string,
  message: string,
): ReplicationError {
  const name = `${database}:${record.id}`;
  return new ReplicationError(
    CODES.apply,
    `the target refused a schema change from the source (${name}): ${message}`,
    {
      remedy: `make the target able to take it, or apply it there yourself and resume with --ddl-applied ${name} (pgshift run, or pgshift task start for a stored task); nothing of its group was committed`,
      details: { database, ddl: name, statement },
    },
  );
}

/** Following stops before the command: the group holding it is rolled back, nothing of it applied. */
function stopError(
  database: string,
  record: DdlRecord,
  statement: string | undefined,
  reason: string,
): ReplicationError {
  const name = `${database}:${record.id}`;
  const shown = statement ?? `${record.tag} (from: ${record.query.slice(0, 400)})`;
  return new ReplicationError(
    CODES.ddlStopped,
    `following stopped before a schema change on the source (${name}), because ${reason}: ${shown}`,
    {
      remedy: `apply the change to the target database ${database} yourself, then resume with --ddl-applied ${name} (pgshift run -c <config> --ddl-applied ${name}, or for a stored task pgshift task start <task> --ddl-applied ${name}); or set options.ddl to ignore to let such changes pass unapplied`,
      details: { database, ddl: name, tag: record.tag },
    },
  );
}
