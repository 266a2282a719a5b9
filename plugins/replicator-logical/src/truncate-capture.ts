import { BOOKKEEPING_SCHEMA, CAPTURE_TRUNCATE_TRIGGER, qualified, quoteIdent } from '@pgshift/pg';
import type { ReplicationContext } from '@pgshift/plugin-api';
import type { Change, RelationRef, TruncateChange } from './model.js';
import { publishableTables, publishCaptureLog } from './publication.js';

/**
 * Logical decoding carries TRUNCATE only from PostgreSQL 11 on. On older sources a statement-level
 * BEFORE TRUNCATE trigger on every followed table writes a row to `pgshift.truncate_log`; that
 * insert travels in the change stream in the truncating transaction, and the follower turns it
 * back into a TRUNCATE of the named table instead of applying it as a row.
 */
export const CAPTURE_SCHEMA = BOOKKEEPING_SCHEMA;
export const CAPTURE_TABLE = 'truncate_log';
const TRIGGER = CAPTURE_TRUNCATE_TRIGGER;

export async function needsTruncateCapture(ctx: ReplicationContext): Promise<boolean> {
  return (await ctx.source.version()).num < 110000;
}

export async function installTruncateCapture(ctx: ReplicationContext): Promise<void> {
  if (!(await needsTruncateCapture(ctx))) return;
  const database = ctx.database.name;
  const log = qualified(CAPTURE_SCHEMA, CAPTURE_TABLE);
  await ctx.source.query(
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(CAPTURE_SCHEMA)};
     CREATE TABLE IF NOT EXISTS ${log} (id bigserial PRIMARY KEY, schema_name text NOT NULL, table_name text NOT NULL,
       at timestamptz NOT NULL DEFAULT now());
     CREATE OR REPLACE FUNCTION ${qualified(CAPTURE_SCHEMA, 'capture_truncate')}() RETURNS trigger
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
       BEGIN
         INSERT INTO ${log} (schema_name, table_name) VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME);
         RETURN NULL;
       END $fn$;`,
    [],
    { database },
  );
  for (const table of await publishableTables(ctx)) {
    const name = qualified(table.schema, table.name);
    await ctx.source.query(
      `DROP TRIGGER IF EXISTS ${TRIGGER} ON ${name};
       CREATE TRIGGER ${TRIGGER} BEFORE TRUNCATE ON ${name}
         FOR EACH STATEMENT EXECUTE PROCEDURE ${qualified(CAPTURE_SCHEMA, 'capture_truncate')}()`,
      [],
      { database },
    );
  }
  await publishCaptureLog(ctx, CAPTURE_TABLE);
}

/** Removes the triggers; the log, function and schema go when no other pgshift slot needs them. */
export async function removeTruncateCapture(ctx: ReplicationContext): Promise<void> {
  if (!(await needsTruncateCapture(ctx))) return;
  const database = ctx.database.name;
  const { rows: triggers } = await ctx.source.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.tgname = $1`,
    [TRIGGER],
    { database },
  );
  const { rows: others } = await ctx.source.query(
    "SELECT 1 FROM pg_replication_slots WHERE database = current_database() AND slot_name LIKE 'pgshift\\_%' AND slot_name <> $1",
    [ctx.slotName],
    { database },
  );
  if (others.length > 0) return;
  for (const t of triggers) {
    await ctx.source.query(`DROP TRIGGER IF EXISTS ${TRIGGER} ON ${qualified(t.schema, t.name)}`, [], {
      database,
    });
  }
  await ctx.source.query(`DROP SCHEMA IF EXISTS ${quoteIdent(CAPTURE_SCHEMA)} CASCADE`, [], { database });
}

export function isCaptureLog(relation: RelationRef): boolean {
  return relation.schema === CAPTURE_SCHEMA && relation.name === CAPTURE_TABLE;
}

/**
 * Collects the captured truncates of a transaction so that tables truncated together (CASCADE,
 * or several in one statement) are truncated together on the target, where a lone TRUNCATE of a
 * referenced table would fail.
 */
export class TruncateCollector {
  #pending: RelationRef[] = [];

  /** True when the change belongs to the capture log and is consumed here. */
  take(change: Change): boolean {
    if (change.kind !== 'insert' && change.kind !== 'update' && change.kind !== 'delete') return false;
    if (!isCaptureLog(change.relation)) return false;
    if (change.kind === 'insert') {
      const schema = change.new.schema_name;
      const name = change.new.table_name;
      if (schema && name && !this.#pending.some((r) => r.schema === schema && r.name === name))
        this.#pending.push({ schema, name });
    }
    return true;
  }

  get pending(): boolean {
    return this.#pending.length > 0;
  }

  /** The collected truncate, if any, emptied. */
  flush(): TruncateChange | undefined {
    if (this.#pending.length === 0) return undefined;
    const relations = this.#pending;
    this.#pending = [];
    return { kind: 'truncate', relations, cascade: false, restartIdentity: false };
  }
}
