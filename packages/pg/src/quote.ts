/** Quotes an identifier always, so reserved words, upper case and Unicode names survive. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"` */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** Quotes a string literal in standard-conforming form, or E'' form when it holds a backslash. */
export function quoteLiteral(value: string): string {
  // Most values hold neither a quote nor a backslash (the hot path of apply).
  if (!value.includes("'") && !value.includes('\\')) return `'${value}'`;
  const doubled = value.replaceAll("'", "''");
  if (value.includes('\\')) return `E'${doubled.replaceAll('\\', '\\\\')}'`;
  return `'${doubled}'`;
}
