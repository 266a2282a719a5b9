import type pg from 'pg';
import { NON_USER_SCHEMAS_SQL } from '../bookkeeping.js';
import { qualified } from '../quote.js';

export interface SequenceValue {
  schema: string;
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/**
 * Current values of the source's sequences (or of those named). Sequences are not transactional:
 * a snapshot does not freeze them, so they are read as they are now, which is never behind the
 * copied rows. Values stay text (int8 exactly).
 */
export async function readSequences(
  client: pg.Client,
  only?: readonly { schema: string; name: string }[],
): Promise<SequenceValue[]> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname NOT IN ${NON_USER_SCHEMAS_SQL}
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  const wanted = only ? new Set(only.map((s) => qualified(s.schema, s.name))) : undefined;
  const values: SequenceValue[] = [];
  for (const seq of rows) {
    if (wanted && !wanted.has(qualified(seq.schema, seq.name))) continue;
    const r = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text AS last_value, is_called FROM ${qualified(seq.schema, seq.name)}`,
    );
    const row = r.rows[0];
    if (row) values.push({ ...seq, lastValue: row.last_value, isCalled: row.is_called });
  }
  return values;
}

/** Sets each sequence on the target with setval(seq, last_value, is_called), exactly as on the source. */
export async function applySequences(client: pg.Client, values: readonly SequenceValue[]): Promise<void> {
  for (const v of values) {
    await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [
      qualified(v.schema, v.name),
      v.lastValue,
      v.isCalled,
    ]);
  }
}
