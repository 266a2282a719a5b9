import type pg from 'pg';
import { inTransaction } from '../transaction.js';
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

/**
 * Statements sent in one round trip. A schema holds thousands of small statements, and the
 * round trips, not the server's work, are most of their cost.
 */
const BATCH_STATEMENTS = 100;
const BATCH_BYTES = 256 * 1024;

export interface ApplyOptions {
  /**
   * Run all statements in one transaction, so a failure or a crash leaves none of them behind
   * and the whole list can simply be run again. (Every statement planned here is transactional.)
   */
  atomic?: boolean;
}

/** Reads the settings' current values and sets them, in two round trips. */
async function assumeSettings(client: pg.Client, local: boolean): Promise<string[]> {
  const read = SESSION_SETTINGS.map((_, i) => `pg_catalog.current_setting($${i + 1}) AS v${i}`);
  const { rows } = await client.query<Record<string, string>>(
    `SELECT ${read.join(', ')}`,
    SESSION_SETTINGS.map(([name]) => name),
  );
  await setSettings(
    client,
    SESSION_SETTINGS.map(([, value]) => value),
    local,
  );
  return SESSION_SETTINGS.map((_, i) => rows[0]?.[`v${i}`] ?? '');
}

/** Sets SESSION_SETTINGS to `values` (transaction-local with `local`), in one round trip. */
async function setSettings(client: pg.Client, values: string[], local: boolean): Promise<void> {
  const set = SESSION_SETTINGS.map((_, i) => `pg_catalog.set_config($${2 * i + 1}, $${2 * i + 2}, ${local})`);
  await client.query(
    `SELECT ${set.join(', ')}`,
    SESSION_SETTINGS.flatMap(([name], i) => [name, values[i] ?? '']),
  );
}

/** Consecutive statements that go in one round trip. */
function batches(statements: SchemaStatement[]): SchemaStatement[][] {
  const out: SchemaStatement[][] = [];
  let current: SchemaStatement[] = [];
  let bytes = 0;
  for (const s of statements) {
    if (current.length >= BATCH_STATEMENTS || (current.length > 0 && bytes + s.sql.length > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(s);
    bytes += s.sql.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function applyOne(client: pg.Client, s: SchemaStatement): Promise<void> {
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
        details: s.sensitive ? { description: s.description } : { description: s.description, sql: s.sql },
      },
    );
  }
}

/**
 * One batch in one round trip. A failure undoes the whole batch (the statements of one query run
 * in one transaction; inside the caller's transaction a savepoint does the same), and the batch
 * runs again statement by statement, so the error names the object as a lone statement would.
 */
async function applyBatch(client: pg.Client, batch: SchemaStatement[]): Promise<void> {
  const only = batch[0];
  if (batch.length === 1 && only) return applyOne(client, only);
  const inBlock = client.getTransactionStatus() === 'T';
  if (inBlock) await client.query('SAVEPOINT pgshift_schema_batch');
  try {
    await client.query(batch.map((s) => s.sql).join(';\n'));
  } catch {
    if (inBlock) await client.query('ROLLBACK TO SAVEPOINT pgshift_schema_batch');
    for (const s of batch) await applyOne(client, s);
  }
  if (inBlock) await client.query('RELEASE SAVEPOINT pgshift_schema_batch');
}

/** Runs statements in order, batched; a failure names the object it was creating. */
export async function applyStatements(
  client: pg.Client,
  statements: SchemaStatement[],
  options: ApplyOptions = {},
): Promise<void> {
  if (statements.length === 0) return;
  const apply = async () => {
    let previous: string[] | undefined;
    try {
      // Local to the transaction when atomic: COMMIT or ROLLBACK puts them back by itself.
      previous = await assumeSettings(client, options.atomic === true);
      for (const batch of batches(statements)) await applyBatch(client, batch);
    } finally {
      if (!options.atomic && previous) await setSettings(client, previous, false).catch(() => {});
    }
  };
  if (options.atomic) await inTransaction(client, apply);
  else await apply();
}
