import { PgshiftError } from '@pgshift/plugin-api';

/** A `pgshift pack` that cannot go on: what went wrong, and what to do about it. */
export class PackError extends PgshiftError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('PGSHIFT_PACK', message, { remedy, ...(cause === undefined ? {} : { cause }) });
  }
}
