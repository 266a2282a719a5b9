import type { TablePattern, TablePatterns } from '@pgshift/plugin-api';

/**
 * `database.schema.table` patterns from the config's objects block. `*` matches any run of
 * characters; a part may be double-quoted to hold a dot. A pattern with fewer parts covers
 * everything below it (`shop` = the whole database, `shop.sales` = one schema).
 */
export interface ObjectPattern {
  text: string;
  database: RegExp;
  schema?: RegExp;
  table?: RegExp;
}

function splitParts(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function glob(part: string): RegExp {
  const escaped = part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`, 's');
}

export function parsePattern(text: string): ObjectPattern {
  const [database = '*', schema, table] = splitParts(text);
  return {
    text,
    database: glob(database),
    ...(schema === undefined ? {} : { schema: glob(schema) }),
    ...(table === undefined ? {} : { table: glob(table) }),
  };
}

export function matchesDatabase(pattern: ObjectPattern, database: string): boolean {
  return pattern.database.test(database);
}

export function matchesTable(
  pattern: ObjectPattern,
  database: string,
  schema: string,
  table: string,
): boolean {
  return (
    pattern.database.test(database) &&
    (pattern.schema === undefined || pattern.schema.test(schema)) &&
    (pattern.table === undefined || pattern.table.test(table))
  );
}

/** Whether the pattern stops at the database (covers all of it). */
export function coversWholeDatabase(pattern: ObjectPattern): boolean {
  return pattern.schema === undefined;
}

/** The patterns that reach into `database`, as the schema and table parts plugins match with. */
export function tablePatternsFor(
  database: string,
  include: ObjectPattern[],
  exclude: ObjectPattern[],
): TablePatterns {
  const parts = (p: ObjectPattern): TablePattern => ({
    ...(p.schema ? { schema: p.schema.source } : {}),
    ...(p.table ? { table: p.table.source } : {}),
  });
  return {
    include: include.filter((p) => matchesDatabase(p, database)).map(parts),
    exclude: exclude.filter((p) => matchesDatabase(p, database)).map(parts),
  };
}
