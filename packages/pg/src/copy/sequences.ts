import type pg from 'pg';
import { NON_USER_SCHEMAS_SQL } from '../bookkeeping.js';
import { qualified } from '../quote.js';

export interface SequenceValue {
  schema: string;
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/** Sequences read or set per statement. */
const SEQUENCES_PER_QUERY = 500;

/** The values as parallel arrays, for one statement over many sequences. */
function asArrays(values: readonly SequenceValue[]): [string[], string[], string[], boolean[]] {
  return [
    values.map((v) => v.schema),
    values.map((v) => v.name),
    values.map((v) => v.lastValue),
    values.map((v) => v.isCalled),
  ];
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
  const wanted = only ? new Set(only.map((s) => qualified(s.schema, s.name))) : undefined;
  const sequences = (await readSequenceNames(client)).filter(
    (seq) => !wanted || wanted.has(qualified(seq.schema, seq.name)),
  );
  const values: SequenceValue[] = [];
  // One round trip per chunk: a database may hold thousands of sequences.
  for (let start = 0; start < sequences.length; start += SEQUENCES_PER_QUERY) {
    const chunk = sequences.slice(start, start + SEQUENCES_PER_QUERY);
    const { rows } = await client.query<{ i: number; last_value: string; is_called: boolean }>(
      chunk
        .map(
          (seq, i) =>
            `SELECT ${i} AS i, last_value::text AS last_value, is_called FROM ${qualified(seq.schema, seq.name)}`,
        )
        .join(' UNION ALL '),
    );
    // In the order of the names (a UNION ALL promises none).
    for (const row of [...rows].sort((a, b) => a.i - b.i)) {
      const seq = chunk[row.i];
      if (seq) values.push({ ...seq, lastValue: row.last_value, isCalled: row.is_called });
    }
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
  for (let start = 0; start < values.length; start += SEQUENCES_PER_QUERY) {
    // generate_subscripts rather than a multi-argument unnest: it runs on every major.
    await client.query(
      `SELECT pg_catalog.setval(pg_catalog.format('%I.%I', ($1::text[])[i], ($2::text[])[i])::regclass,
                                ($3::text[])[i]::bigint, ($4::boolean[])[i])
         FROM pg_catalog.generate_subscripts($1::text[], 1) AS i`,
      asArrays(values.slice(start, start + SEQUENCES_PER_QUERY)),
    );
  }
}

/**
 * Moves each target sequence up to the source's value, never back: a sequence the target already
 * has at or past that point (its own calls, or a later value set before) is left alone. Safe to
 * run at any moment while following, so a target promoted without `finish` hands out no value the
 * source already gave. Returns how many sequences moved. The target is 10 or later (pg_sequences).
 */
export async function advanceSequences(client: pg.Client, values: readonly SequenceValue[]): Promise<number> {
  const onTarget = new Map(
    (await readSequences(client, values)).map((v) => [qualified(v.schema, v.name), v]),
  );
  const { rows } = await client.query<{ schema: string; name: string; increment: string }>(
    'SELECT schemaname AS schema, sequencename AS name, increment_by::text AS increment FROM pg_catalog.pg_sequences',
  );
  const increments = new Map(rows.map((r) => [qualified(r.schema, r.name), BigInt(r.increment)]));
  const behind = values.filter((source) => {
    const key = qualified(source.schema, source.name);
    const target = onTarget.get(key);
    const increment = increments.get(key);
    if (!target || increment === undefined) return false;
    const ahead = position(source, increment) - position(target, increment);
    return increment > 0n ? ahead > 0n : ahead < 0n;
  });
  await applySequences(client, behind);
  return behind.length;
}

/**
 * A sequence's position: the last value it handed out, or one step before that value when it has
 * handed out none yet (setval(..., false), or never called).
 */
function position(value: SequenceValue, increment: bigint): bigint {
  const last = BigInt(value.lastValue);
  return value.isCalled ? last : last - increment;
}
