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
  const rows = await readSequenceNames(client);
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

/** The user's sequences of a database (not pgshift's, not an extension's), by schema and name. */
export async function readSequenceNames(client: pg.Client): Promise<{ schema: string; name: string }[]> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname NOT IN ${NON_USER_SCHEMAS_SQL}
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  return rows;
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

/**
 * Moves each target sequence up to the source's value, never back: a sequence the target already
 * has at or past that point (its own calls, or a later value set before) is left alone. Safe to
 * run at any moment while following, so a target promoted without `finish` hands out no value the
 * source already gave. Returns how many sequences moved. The target is 10 or later (pg_sequences).
 */
export async function advanceSequences(client: pg.Client, values: readonly SequenceValue[]): Promise<number> {
  let advanced = 0;
  for (const v of values) {
    // A sequence's position is the last value it handed out, or one step before its start value
    // when it has handed out none; `ahead` compares positions in the sequence's own direction.
    const { rowCount } = await client.query(
      `SELECT pg_catalog.setval(pg_catalog.format('%I.%I', s.schemaname, s.sequencename)::regclass, $3::bigint, $4)
         FROM pg_catalog.pg_sequences s
        WHERE s.schemaname = $1 AND s.sequencename = $2
          AND CASE WHEN s.increment_by > 0
                   THEN (CASE WHEN $4 THEN $3::numeric ELSE $3::numeric - s.increment_by END)
                        > coalesce(s.last_value::numeric, s.start_value::numeric - s.increment_by)
                   ELSE (CASE WHEN $4 THEN $3::numeric ELSE $3::numeric - s.increment_by END)
                        < coalesce(s.last_value::numeric, s.start_value::numeric - s.increment_by) END`,
      [v.schema, v.name, v.lastValue, v.isCalled],
    );
    advanced += rowCount ?? 0;
  }
  return advanced;
}
