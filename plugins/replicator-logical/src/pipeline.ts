import { quoteIdent } from '@pgshift/pg';
import type pg from 'pg';
import { APPLY_REMEDY, CODES, ReplicationError } from './errors.js';
import { renderStatement } from './render-literal.js';
import type { Statement } from './statements.js';

export interface PipelineLimits {
  /** Statements per round trip. */
  maxStatements: number;
  /** Bytes of rendered SQL held before they are sent: the memory bound of the pipeline. */
  maxBytes: number;
}

/** What a statement's row count is checked against once the target has run it. */
export interface RowCheck {
  expected: number;
  /** The target table, quoted, for the warning. */
  table: string;
}

interface Pending {
  /** The start of the statement's text with placeholders: what an error shows (never values). */
  template: string;
  /** The target table, quoted. */
  table: string;
  check: RowCheck | undefined;
}

/** A copy of the start of a statement, so a pending entry does not keep the whole text alive. */
function excerpt(text: string): string {
  return Buffer.from(text.slice(0, 300)).toString();
}

/**
 * Sends the applier's statements several at a time, as one simple-protocol query with their
 * values inlined as literals, inside the session's open transaction: one round trip per
 * `maxStatements` statements instead of one each. The target runs them in order and stops at the
 * first failure, which aborts the transaction, so a failure still loses the whole group and
 * nothing else. Each statement's row count is still checked, in order, once the reply arrives.
 *
 * One script may be in flight while the next is gathered, so the target works while the change
 * stream is decoded; the session runs queries in the order they were sent. A failure of the one
 * in flight surfaces at the next `add` or `send`. At most two scripts' worth of SQL is held.
 */
export class StatementPipeline {
  readonly #client: pg.Client;
  readonly #limits: PipelineLimits;
  readonly #onRowCount: (check: RowCheck, found: number) => void;
  #sql: string[] = [];
  #pending: Pending[] = [];
  #bytes = 0;
  /** The script the target is running; settles once its row counts are checked. */
  #inFlight: Promise<void> | undefined;

  constructor(
    client: pg.Client,
    limits: PipelineLimits,
    onRowCount: (check: RowCheck, found: number) => void,
  ) {
    this.#client = client;
    this.#limits = limits;
    this.#onRowCount = onRowCount;
  }

  get pendingStatements(): number {
    return this.#pending.length;
  }

  get pendingBytes(): number {
    return this.#bytes;
  }

  /** Queues a statement; sends the queue first when this one would take it past a limit. */
  async add(statement: Statement, table: string, check?: RowCheck): Promise<void> {
    const sql = renderStatement(statement);
    const bytes = Buffer.byteLength(sql);
    if (
      this.#pending.length > 0 &&
      (this.#pending.length >= this.#limits.maxStatements || this.#bytes + bytes > this.#limits.maxBytes)
    )
      await this.#dispatch();
    this.#sql.push(sql);
    this.#pending.push({ template: excerpt(statement.template ?? statement.text), table, check });
    this.#bytes += bytes;
  }

  /** Runs every queued statement and checks their row counts; returns when all have run. */
  async send(): Promise<void> {
    await this.#dispatch();
    await this.#settle();
  }

  /**
   * Starts the queued statements without waiting for them; the promise settles when they have
   * run (and rejects if they failed). Later statements still wait for them before they are sent.
   */
  async sendInBackground(): Promise<{ done: Promise<void> }> {
    await this.#dispatch();
    // Wrapped: an async function would otherwise wait for the promise it returns.
    return { done: this.#inFlight ?? Promise.resolve() };
  }

  /** Waits for the script in flight, then starts the queued one without waiting for it. */
  async #dispatch(): Promise<void> {
    await this.#settle();
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    const script = this.#sql.join(';\n');
    this.#sql = [];
    this.#pending = [];
    this.#bytes = 0;
    const running = this.#execute(script, pending);
    // Whoever waits for it sees the failure; this only keeps it from being "unhandled" meanwhile.
    running.catch(() => {});
    this.#inFlight = running;
  }

  /**
   * Waits for the script in flight. A failure rejects every waiter (a rejected promise stays
   * rejected), so it can never be mistaken for success by a second one.
   */
  async #settle(): Promise<void> {
    const inFlight = this.#inFlight;
    if (!inFlight) return;
    await inFlight;
    if (this.#inFlight === inFlight) this.#inFlight = undefined;
  }

  async #execute(script: string, pending: Pending[]): Promise<void> {
    let reply: pg.QueryResult | pg.QueryResult[];
    try {
      // No values: node-postgres uses the simple protocol, which allows several statements.
      reply = (await this.#client.query(script)) as pg.QueryResult | pg.QueryResult[];
    } catch (error) {
      // Constraint errors name their table: show a statement on it rather than the first one.
      const failed = (error as { table?: string }).table;
      const culprit =
        (failed && pending.find((p) => p.table.endsWith(`.${quoteIdent(failed)}`))) ||
        pending.find((p) => p.table !== '') ||
        pending[0];
      throw new ReplicationError(
        CODES.apply,
        `applying a change on the target failed: ${(error as Error).message}`,
        {
          cause: error,
          remedy: APPLY_REMEDY,
          details: { statement: culprit?.template, statementsInRoundTrip: pending.length },
        },
      );
    }
    const results = Array.isArray(reply) ? reply : [reply];
    if (results.length !== pending.length)
      throw new ReplicationError(
        CODES.apply,
        `the target answered ${results.length} results for ${pending.length} statements sent together`,
        { remedy: 'report this as a bug; nothing of this group was committed' },
      );
    pending.forEach((p, i) => {
      if (p.check) this.#onRowCount(p.check, results[i]?.rowCount ?? 0);
    });
  }

  /** Sends what is queued and waits until the target ran it all (a failure rejects). */
  async sendAndWait(): Promise<void> {
    await this.#dispatch();
    await this.#settle();
  }

  /**
   * Forgets the queued statements and waits for the one in flight, whatever its outcome (the
   * transaction they belong to is about to be rolled back).
   */
  async discard(): Promise<void> {
    this.#sql = [];
    this.#pending = [];
    this.#bytes = 0;
    await this.#inFlight?.catch(() => {});
    this.#inFlight = undefined;
  }
}
