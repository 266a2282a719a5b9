import type { ColumnInfo } from '../copy/types.js';
import { quoteIdent } from '../quote.js';

/**
 * An SQL expression giving one row's text, identical on every server major under the fixed
 * settings. Floats are the exception PostgreSQL leaves us: < 12 prints 17 significant digits with
 * extra_float_digits = 3, 12+ prints the shortest exact form, and no setting makes them agree; so
 * floats (and geometric types) enter by their binary form (float8send and friends), exact and
 * version-free. Floats nested in composite or range types still go by text: comparing those
 * between a source < 12 and a target >= 12 reports a difference that is not one.
 */
export function rowTextExpression(columns: readonly ColumnInfo[]): string {
  const parts = columns.map((c) => {
    const col = quoteIdent(c.name);
    return c.binary ? `${c.binary.send}(${col}::${c.binary.cast})` : col;
  });
  // ROW() of one value is still a row; an empty column list compares rows by count alone.
  return parts.length > 0 ? `ROW(${parts.join(', ')})::text` : `''`;
}

/**
 * The per-row hash: md5 of the row's text (above), as 32 hex digits. md5 and the text are the
 * same on every major from 9.3 on and on every platform (hashtext is not: it depends on the byte
 * order, and from 12 on the collation), so two servers agree on every row's hash.
 */
export function rowHashExpression(columns: readonly ColumnInfo[]): string {
  return `md5(${rowTextExpression(columns)})`;
}

/**
 * One aggregate over a set of rows, order-free so no sort is needed: the count, and the sums of
 * the first and of the second 32 bits of each row's hash (as signed int4, summed in int8: no
 * overflow below 2^32 rows). Only these three numbers cross the wire. `from` is the FROM clause
 * with its WHERE; the hash is computed once per row (OFFSET 0 keeps the subquery from being
 * flattened, which would compute it twice).
 */
export function hashSumsSql(columns: readonly ColumnInfo[], from: string): string {
  return `SELECT count(*)::text AS n,
                 coalesce(sum(('x' || substr(h, 1, 8))::bit(32)::int4), 0)::text AS a,
                 coalesce(sum(('x' || substr(h, 9, 8))::bit(32)::int4), 0)::text AS b
            FROM (SELECT ${rowHashExpression(columns)} AS h FROM ${from} OFFSET 0) r`;
}
