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
