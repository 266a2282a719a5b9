import { inTransaction, qualified, quoteLiteral, WRITE_GUARD_TRIGGER } from '@pgshift/pg';
import type { OpenSession, ReplicationContext, TargetWrite } from '@pgshift/plugin-api';

/**
 * The write guard: while following, a statement trigger on every migrated table of the target
 * notices writes by anyone but pgshift, and either records them (`detect`: reported as they
 * happen, not only by verify at finish) or refuses them (`refuse`). pgshift's own apply runs in
 * replica role, where ordinary triggers do not fire; where it cannot (a target role without the
 * right), its sessions are told apart by their application name.
 */
const SETUP = `
CREATE SCHEMA IF NOT EXISTS pgshift;
CREATE TABLE IF NOT EXISTS pgshift.write_guard (mode text NOT NULL);
CREATE TABLE IF NOT EXISTS pgshift.target_writes (
  table_name text NOT NULL, operation text NOT NULL, writes bigint NOT NULL,
  first_at timestamptz NOT NULL, last_at timestamptz NOT NULL, last_role text NOT NULL,
  PRIMARY KEY (table_name, operation));
CREATE OR REPLACE FUNCTION pgshift.guard_write() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $guard$
DECLARE
  target text := quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME);
BEGIN
  IF current_setting('application_name') LIKE 'pgshift%' THEN RETURN NULL; END IF;
  IF (SELECT mode FROM pgshift.write_guard LIMIT 1) = 'refuse' THEN
    RAISE EXCEPTION 'table % is being migrated by pgshift: writes to it are refused until pgshift finish', target
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'write to the source: pgshift carries the change over; the target takes writes after the cut-over';
  END IF;
  UPDATE pgshift.target_writes SET writes = writes + 1, last_at = now(), last_role = session_user
   WHERE table_name = target AND operation = TG_OP;
  IF NOT FOUND THEN
    INSERT INTO pgshift.target_writes VALUES (target, TG_OP, 1, now(), now(), session_user);
  END IF;
  RETURN NULL;
END $guard$;`;

/** The guard's trigger on one table (`name` quoted); tables created while following get it too. */
export function guardTriggerSql(name: string): string {
  return `CREATE TRIGGER ${WRITE_GUARD_TRIGGER} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${name}
    FOR EACH STATEMENT EXECUTE PROCEDURE pgshift.guard_write()`;
}

/** The tables that carry the guard now, quoted as `qualified` quotes them. */
async function guardedTables(session: OpenSession): Promise<Set<string>> {
  const { rows } = await session.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE t.tgname = $1`,
    [WRITE_GUARD_TRIGGER],
  );
  return new Set(rows.map((r) => qualified(r.schema, r.name)));
}

/** Puts the guard on every table of the selection (again after a reconnect: it is idempotent). */
export async function installWriteGuard(ctx: ReplicationContext): Promise<void> {
  const mode = ctx.targetWrites ?? 'detect';
  const session = await ctx.target.connect({ database: ctx.database.name });
  try {
    await inTransaction(session, async () => {
      await session.query(SETUP);
      await session.query('DELETE FROM pgshift.write_guard');
      await session.query(`INSERT INTO pgshift.write_guard VALUES (${quoteLiteral(mode)})`);
      const guarded = await guardedTables(session);
      for (const table of ctx.database.tables) {
        const name = qualified(table.schema, table.name);
        if (guarded.has(name)) continue;
        await session.query(guardTriggerSql(name));
      }
    });
  } finally {
    await session.close();
  }
}

/** What others wrote so far, per table and operation. */
export async function readTargetWrites(ctx: ReplicationContext): Promise<TargetWrite[]> {
  const { rows } = await ctx.target.query<{
    table: string;
    operation: string;
    writes: string;
    last_at: string;
    last_role: string;
  }>(
    `SELECT table_name AS table, operation, writes, last_at::text, last_role FROM pgshift.target_writes
      ORDER BY table_name, operation`,
    [],
    { database: ctx.database.name },
  );
  return rows.map((r) => ({
    table: r.table,
    operation: r.operation,
    writes: Number(r.writes),
    lastAt: r.last_at,
    lastRole: r.last_role,
  }));
}

/** Takes the guard off every table, with its function and tables (finish and cancel). */
export async function removeWriteGuard(ctx: ReplicationContext): Promise<void> {
  const session = await ctx.target.connect({ database: ctx.database.name });
  try {
    await inTransaction(session, async () => {
      for (const table of await guardedTables(session))
        await session.query(`DROP TRIGGER IF EXISTS ${WRITE_GUARD_TRIGGER} ON ${table}`);
      await session.query(
        'DROP FUNCTION IF EXISTS pgshift.guard_write(); DROP TABLE IF EXISTS pgshift.write_guard, pgshift.target_writes',
      );
    });
  } finally {
    await session.close();
  }
}

/** Reports new writes by others as they are seen: a warning naming the table, the operation and the role. */
export class TargetWriteWatch {
  readonly #ctx: ReplicationContext;
  readonly #seen = new Map<string, number>();
  #writes: TargetWrite[] = [];

  constructor(ctx: ReplicationContext) {
    this.#ctx = ctx;
  }

  get writes(): TargetWrite[] {
    return this.#writes;
  }

  async poll(): Promise<void> {
    this.#writes = await readTargetWrites(this.#ctx);
    for (const w of this.#writes) {
      const key = `${w.table} ${w.operation}`;
      const before = this.#seen.get(key) ?? 0;
      if (w.writes <= before) continue;
      this.#seen.set(key, w.writes);
      const text =
        `database ${this.#ctx.database.name}: ${w.writes - before} ${w.operation} statement(s) on ${w.table} on the target ` +
        `by role ${w.lastRole} (last at ${w.lastAt}), not by pgshift: the target must not be written before finish; ` +
        'verify at finish will show what differs (options.targetWrites: refuse makes the target refuse such writes)';
      this.#ctx.logger.warn(text);
      this.#ctx.progress.emit({ type: 'message', level: 'warn', text });
    }
  }
}
