import type pg from 'pg';

/**
 * Every row live verify repairs on the target is recorded there, in the transaction that repairs
 * it: which table and key, what was done, the task's apply position at that moment and the source
 * version written. The table stays after finish (pgshift's other bookkeeping goes) as the record of
 * what pgshift changed outside the stream; drop it when you no longer need it.
 */
export const REPAIRS_TABLE = 'pgshift.verify_repairs';

export async function prepareRepairLog(target: pg.Client): Promise<void> {
  await target.query(`CREATE SCHEMA IF NOT EXISTS pgshift;
    CREATE TABLE IF NOT EXISTS ${REPAIRS_TABLE} (
      id bigserial PRIMARY KEY,
      repaired_at timestamptz NOT NULL DEFAULT now(),
      slot_name text NOT NULL,
      table_name text NOT NULL,
      key text NOT NULL,
      action text NOT NULL,
      applied_lsn pg_lsn NOT NULL,
      source_version text)`);
}

/** Records one repair; runs in the repair's own transaction on `target`. */
export async function recordRepair(
  target: pg.Client,
  repair: {
    slotName: string;
    table: string;
    key: string;
    action: string;
    appliedLsn: string;
    sourceVersion?: string;
  },
): Promise<void> {
  await target.query(
    `INSERT INTO ${REPAIRS_TABLE} (slot_name, table_name, key, action, applied_lsn, source_version)
     VALUES ($1, $2, $3, $4, $5::pg_lsn, $6)`,
    [
      repair.slotName,
      repair.table,
      repair.key,
      repair.action,
      repair.appliedLsn,
      repair.sourceVersion ?? null,
    ],
  );
}
