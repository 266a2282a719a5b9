import { PgshiftError, type SqlSession } from '@pgshift/plugin-api';
import type { SchemaStatement } from '../schema/types.js';
import { inTransaction } from '../transaction.js';

/**
 * Runs instance-level statements one by one, in one transaction (roles, grants and settings are
 * transactional), so a failure or a crash leaves none of them behind. A failure names the object,
 * never the statement's text, which may hold a password hash.
 */
export async function applyGlobals(session: SqlSession, statements: SchemaStatement[]): Promise<void> {
  if (statements.length === 0) return;
  await inTransaction(session, () => applyEach(session, statements));
}

async function applyEach(session: SqlSession, statements: SchemaStatement[]): Promise<void> {
  for (const s of statements) {
    try {
      await session.query(s.sql);
    } catch (error) {
      throw new PgshiftError(
        'PGSHIFT_GLOBALS_APPLY',
        `could not create ${s.description} on the target: ${(error as Error).message}`,
        {
          remedy:
            'give the target user the right to create roles (CREATEROLE) and databases, or create the object ' +
            'by hand and run again (existing roles are left as they are), or set options.copyRoles: false',
        },
      );
    }
  }
}
