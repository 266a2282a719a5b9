import { fixedSettingsSql, type SessionSetting } from '@pgshift/pg';
import type { Logger } from '@pgshift/plugin-api';
import type pg from 'pg';
import { BEYOND_TABLE, lsnArray, RECORD_BEYOND } from './applied-beyond.js';
import { StatementPipeline } from './pipeline.js';
import { CREATE_PROGRESS_TABLE, PROGRESS_TABLE, WRITE_PROGRESS } from './progress-store.js';
import { REPLICA_FIRING_TRIGGERS } from './replica-triggers.js';
import type { Statement } from './statements.js';
import type { TargetTable } from './target-catalog.js';

/** The commit a group ends with; its end LSN becomes the durable position. */
export interface GroupEnd {
  commitLsn?: string;
  endLsn: string;
  /**
   * Commit LSNs of the group's source transactions when the group is recorded beyond the durable
   * position (applied-beyond.ts) rather than moving it: several apply sessions commit out of order.
   */
  applied?: readonly string[];
}

/**
 * The apply session's own settings, on top of pgshift's fixed ones: the progress row must be on
 * disk before the source is told it may forget the changes, and a group's transaction waits idle
 * while the stream brings more, which a server's idle timeout must not end.
 */
export const APPLY_SETTINGS: readonly SessionSetting[] = [
  { name: 'synchronous_commit', value: 'on' },
  { name: 'idle_in_transaction_session_timeout', value: '0', since: 90600 },
];

export interface SessionLimits {
  /** Statements sent together in one round trip. */
  maxStatements: number;
  /** Bytes of rendered statements held before they are sent. */
  maxBytes: number;
}

/** What `open` found the session may do. */
export interface SessionMode {
  /** In replica role: the target's triggers do not fire, foreign keys are not checked. */
  replicaRole: boolean;
  /** Changes to different rows of a group may be applied out of source order. */
  folding: boolean;
}

/**
 * The apply stage's session on the target: one transaction per group, its statements sent through
 * the pipeline, and the group's end written to the progress table in that same transaction just
 * before its COMMIT. Nothing is committed except there, so the position commits only together with
 * every change before it.
 */
export class ApplySession {
  readonly #client: pg.Client;
  readonly #slotName: string;
  readonly #logger: Logger;
  readonly #pipeline: StatementPipeline;
  #inTransaction = false;
  /**
   * Queues a statement that changes no rows (a schema change and its settings) in the open
   * transaction, in order with the changes; `label` names it in errors.
   */
  async queueStatement(text: string, label: string): Promise<void> {
    await this.begin();
    await this.#pipeline.add({ text, values: [] }, label);
  }

  /** Waits until the target ran everything sent or queued (a commit in flight included). */
  async settle(): Promise<void> {
    await this.#pipeline.sendAndWait();
  }

  /**
   * Runs statements now, after everything queued, in a savepoint of the open transaction. An
   * error is returned (the savepoint rolled back, the transaction usable) rather than thrown, so
   * the caller decides what it means.
   */
  async runInSavepoint(texts: string[]): Promise<{ code?: string; message: string } | undefined> {
    await this.begin();
    await this.#pipeline.sendAndWait();
    await this.#client.query('SAVEPOINT pgshift_statement');
    try {
      for (const text of texts) await this.#client.query(text);
    } catch (error) {
      await this.#client.query('ROLLBACK TO SAVEPOINT pgshift_statement');
      const { code, message } = error as { code?: string; message: string };
      return code === undefined ? { message } : { code, message };
    }
    await this.#client.query('RELEASE SAVEPOINT pgshift_statement');
    return undefined;
  }

  /** Rows an UPDATE or DELETE expected but did not find (the target drifted from the source). */
  missingRows = 0;

  constructor(client: pg.Client, slotName: string, limits: SessionLimits, logger: Logger) {
    this.#client = client;
    this.#slotName = slotName;
    this.#logger = logger;
    this.#pipeline = new StatementPipeline(client, limits, (check, found) =>
      this.#expect(found, check.expected, check.table),
    );
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** Session settings for exact values and a durable position, the progress table, replica role. */
  async open(serverVersion: number): Promise<SessionMode> {
    await this.#client.query(fixedSettingsSql(APPLY_SETTINGS, serverVersion));
    await this.#client.query(CREATE_PROGRESS_TABLE);
    if (!(await this.#enterReplicaRole())) return { replicaRole: false, folding: false };
    const { rows } = await this.#client.query<{ name: string }>(REPLICA_FIRING_TRIGGERS);
    if (rows.length > 0)
      this.#logger.info(
        'triggers or rules on the target fire in replica role, so changes are applied one by one in source order',
        { examples: rows.map((r) => r.name) },
      );
    return { replicaRole: true, folding: rows.length === 0 };
  }

  /**
   * Replica role: the target's triggers do not fire again for rows the source's triggers already
   * produced, and foreign keys are not checked while transactions are regrouped. It needs a
   * superuser (or, from 15, a GRANT SET on the parameter).
   */
  async #enterReplicaRole(): Promise<boolean> {
    try {
      await this.#client.query('SET session_replication_role = replica');
      return true;
    } catch (error) {
      this.#logger.warn(
        'cannot SET session_replication_role = replica on the target: triggers on the target will fire and foreign keys will be checked during apply',
        { reason: (error as Error).message },
      );
      return false;
    }
  }

  /** Opens the group's transaction: BEGIN travels with the first statements, not on its own. */
  async begin(): Promise<void> {
    if (this.#inTransaction) return;
    await this.#pipeline.add({ text: 'BEGIN', values: [] }, '');
    this.#inTransaction = true;
  }

  /**
   * Queues a change statement in the open transaction; it runs with later ones in one round trip,
   * at the latest before the commit, and its row count is checked against `expected` then.
   */
  async queue(statement: Statement, expected: number | undefined, table: TargetTable): Promise<void> {
    await this.begin();
    await this.#pipeline.add(
      statement,
      table.sql,
      expected === undefined ? undefined : { expected, table: table.sql },
    );
  }

  #expect(found: number, expected: number, table: string): void {
    if (found >= expected) return;
    this.missingRows += expected - found;
    this.#logger.warn('rows to change were not found on the target; it differs from the source', {
      table,
      missing: expected - found,
    });
  }

  /**
   * Records the position in the open transaction and commits: the last changes, the position and
   * COMMIT travel in one round trip. Returns once COMMIT is sent; `done` settles when it succeeded
   * (or rejects). Statements of the next group are sent only after the commit has run.
   */
  async commit(end: GroupEnd): Promise<{ done: Promise<void> }> {
    await this.begin();
    await this.#pipeline.add(
      end.applied
        ? { text: RECORD_BEYOND, values: [this.#slotName, end.commitLsn ?? null, lsnArray(end.applied)] }
        : { text: WRITE_PROGRESS, values: [this.#slotName, end.commitLsn ?? null, end.endLsn] },
      end.applied ? BEYOND_TABLE : PROGRESS_TABLE,
    );
    await this.#pipeline.add({ text: 'COMMIT', values: [] }, '');
    const sent = await this.#pipeline.sendInBackground();
    this.#inTransaction = false;
    return sent;
  }

  /** Forgets what was not sent, waits for what was, and rolls the open transaction back. */
  async rollback(): Promise<void> {
    await this.#pipeline.discard();
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    await this.#client.query('ROLLBACK');
  }
}
