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
} as const;
