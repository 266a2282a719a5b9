import { PgshiftError } from '@pgshift/plugin-api';

/** The snapshot an interrupted copy was reading can no longer be imported. */
export class SnapshotLostError extends PgshiftError {
  constructor(snapshot: string, database: string, cause?: unknown) {
    super(
      'PGSHIFT_SNAPSHOT_LOST',
      `the copy of database ${JSON.stringify(database)} was interrupted and the snapshot it was reading ` +
        `(${snapshot}) is gone, so the rest of the data can no longer be read as of the same point in time; ` +
        'continuing would mix rows from two different moments',
      {
        remedy:
          'choose options.onLostSnapshot: "restart" to empty the copied tables and copy everything again under ' +
          'a new snapshot (one consistent point in time), or "per-table" to keep what is copied and continue ' +
          'with new snapshots (not one point in time; incremental sync reconciles the difference later)',
        cause,
        details: { database, snapshot },
      },
    );
  }
}

/** A chunk failed; says which table and chunk so the user can find it. */
export class CopyError extends PgshiftError {
  constructor(table: string, chunk: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('PGSHIFT_COPY_FAILED', `copying ${table} (chunk ${chunk}) failed: ${reason}`, {
      remedy: 'fix the cause and run again; finished chunks are kept and not copied twice',
      cause,
      details: { table, chunk },
    });
  }
}

/**
 * PostgreSQL's answer when SET TRANSACTION SNAPSHOT names a snapshot whose exporting transaction
 * has ended (42704 "snapshot ... does not exist"; 22023 for an identifier it cannot parse).
 */
export function isLostSnapshotError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : '';
  return (code === '42704' || code === '22023') && /snapshot/i.test(message);
}
