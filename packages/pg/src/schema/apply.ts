import type pg from 'pg';
import { SchemaError } from './errors.js';
import type { SchemaStatement } from './types.js';

/**
 * Settings the planned statements assume, as in a pg_dump script: names in them are already
 * schema-qualified, and function bodies may mention tables that do not exist yet.
 */
const SESSION_SETTINGS: [string, string][] = [
  ['search_path', ''],
  ['check_function_bodies', 'off'],
  ['client_min_messages', 'warning'],
];

export interface ApplyOptions {
  /**
   * Run all statements in one transaction, so a failure or a crash leaves none of them behind
   * and the whole list can simply be run again. (Every statement planned here is transactional.)
   */
  atomic?: boolean;
}

/** Runs statements one by one; a failure names the object it was creating. */
export async function applyStatements(
  client: pg.Client,
  statements: SchemaStatement[],
  options: ApplyOptions = {},
): Promise<void> {
  if (statements.length === 0) return;
  const previous: [string, string][] = [];
  if (options.atomic) await client.query('BEGIN');
  try {
    for (const [name, value] of SESSION_SETTINGS) {
      const { rows } = await client.query<{ v: string }>('SELECT pg_catalog.current_setting($1) AS v', [
        name,
      ]);
      previous.push([name, rows[0]?.v ?? '']);
      // Local to the transaction when atomic: COMMIT or ROLLBACK puts them back by itself.
      await client.query('SELECT pg_catalog.set_config($1, $2, $3)', [name, value, options.atomic === true]);
    }
    for (const s of statements) {
      try {
        await client.query(s.sql);
      } catch (error) {
        const message = (error as Error).message;
        throw new SchemaError(
          'PGSHIFT_SCHEMA_APPLY',
          `could not create ${s.description} on the target: ${message}`,
          {
            remedy:
              'fix the cause on the target (a missing role, extension or collation, or an object already there) and run again',
            cause: error,
            // A statement holding a secret is named by its description alone.
            details: s.sensitive
              ? { description: s.description }
              : { description: s.description, sql: s.sql },
          },
        );
      }
    }
    if (options.atomic) await client.query('COMMIT');
  } catch (error) {
    if (options.atomic) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    if (!options.atomic)
      for (const [name, value] of previous)
        await client.query('SELECT pg_catalog.set_config($1, $2, false)', [name, value]).catch(() => {});
  }
}
