import { quoteLiteral } from '@pgshift/pg';
import type { Statement } from './statements.js';

/** A value as SQL: a quoted literal of the source's text, or NULL. */
export function renderLiteral(value: string | null): string {
  return value === null ? 'NULL' : quoteLiteral(value);
}

/** Characters an unquoted identifier or keyword may hold (a `$` after one is not a parameter). */
const WORD_CHAR = /[\p{L}\p{N}_$]/u;

/** Index just past a quoted token starting at `start`; a doubled quote stays inside it. */
function skipQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  throw new Error(`unterminated ${quote} in a statement to render`);
}

/** Index just past a (possibly nested) block comment starting at `start`. */
function skipBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  throw new Error('unterminated comment in a statement to render');
}

/**
 * The statement's text with each `$n` parameter replaced by its value as a literal, so that many
 * statements can travel in one simple-protocol query. Placeholders inside quoted identifiers,
 * string literals and comments are left alone. The statements pgshift builds cast every parameter
 * explicitly (`$1::"pg_catalog"."int4"`), so a literal gets the same type and the same input
 * function as the bound parameter did.
 */
export function renderStatement(statement: Statement): string {
  const { text, values } = statement;
  if (values.length === 0) return text;
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      i = skipQuoted(text, i, '"', false);
    } else if (c === "'") {
      const prefix = text[i - 1];
      const escapes = (prefix === 'E' || prefix === 'e') && (i < 2 || !WORD_CHAR.test(text[i - 2] as string));
      i = skipQuoted(text, i, "'", escapes);
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i);
    } else if (c === '$') {
      if (i > 0 && WORD_CHAR.test(text[i - 1] as string)) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < text.length && (text[end] as string) >= '0' && (text[end] as string) <= '9') end++;
      if (end === i + 1) throw new Error('dollar-quoted text is not supported in a statement to render');
      const n = Number(text.slice(i + 1, end));
      if (n < 1 || n > values.length)
        throw new Error(`parameter $${n} has no value (the statement has ${values.length})`);
      parts.push(text.slice(from, i), renderLiteral(values[n - 1] ?? null));
      from = end;
      i = end;
    } else i++;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
