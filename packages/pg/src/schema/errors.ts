import { PgshiftError, type PgshiftErrorOptions } from '@pgshift/plugin-api';

/** A schema object could not be read, planned or created. */
export class SchemaError extends PgshiftError {
  constructor(code: string, message: string, options: PgshiftErrorOptions = {}) {
    super(code, message, options);
  }
}
