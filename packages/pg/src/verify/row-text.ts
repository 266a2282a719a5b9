import type { ColumnInfo } from '../copy/types.js';
import { quoteIdent } from '../quote.js';

/**
 * An SQL expression giving one row's text, identical on every server major under the fixed
 * settings. Floats are the exception PostgreSQL leaves us: < 12 prints 17 significant digits with
 * extra_float_digits = 3, 12+ prints the shortest exact form, and no setting makes them agree; so
 * floats enter by their binary form (float8send and friends), which is exact and version-free.
 * Floats nested in composite types still go by text; see the report's notes.
 */
export function rowTextExpression(columns: readonly ColumnInfo[]): string {
  const parts = columns.map((c) => {
    const col = quoteIdent(c.name);
    switch (c.compareAs) {
      case 'float4':
        return `float4send(${col}::float4)`;
      case 'float8':
        return `float8send(${col}::float8)`;
      case 'float-array':
        return `array_send(${col})`;
      default:
        return col;
    }
  });
  // ROW() of one value is still a row; an empty column list compares rows by count alone.
  return parts.length > 0 ? `ROW(${parts.join(', ')})::text` : `''`;
}
