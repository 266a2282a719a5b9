import { PgshiftError, type PgshiftErrorOptions } from '@pgshift/plugin-api';

/** Errors of the logical replicator, each with a stable code. */
export class ReplicationError extends PgshiftError {
  constructor(code: string, message: string, options: PgshiftErrorOptions = {}) {
    super(code, message, options);
  }
}

export const CODES = {
  slotName: 'PGSHIFT_REPL_SLOT_NAME',
  slotExists: 'PGSHIFT_REPL_SLOT_EXISTS',
  slotCreate: 'PGSHIFT_REPL_SLOT_CREATE',
  decode: 'PGSHIFT_REPL_DECODE',
  unsupportedFormat: 'PGSHIFT_REPL_FORMAT',
  tableMissing: 'PGSHIFT_REPL_TABLE_MISSING',
  noIdentity: 'PGSHIFT_REPL_NO_IDENTITY',
  apply: 'PGSHIFT_REPL_APPLY',
  duplicate: 'PGSHIFT_REPL_DUPLICATE',
  stream: 'PGSHIFT_REPL_STREAM',
  slotBusy: 'PGSHIFT_REPL_SLOT_BUSY',
  ddlStopped: 'PGSHIFT_REPL_DDL_STOPPED',
  ddlCapture: 'PGSHIFT_REPL_DDL_CAPTURE',
} as const;

/** What to do when the stream from the source broke: nothing applied is lost, a rerun resumes. */
export const STREAM_REMEDY =
  'check that the source is up and reachable (and the slot still exists: pgshift status), then run pgshift run again: following resumes at the durable position on the target, nothing applied is lost';

/** What to do when the target refused a change: the group was rolled back, the position kept. */
export const APPLY_REMEDY =
  'the statement and the target error above say which table and why; fix the target (a missing column, a constraint the source does not have, rows written to the target during sync), then run pgshift run again: the group was rolled back and is applied again from the durable position';
