/**
 * Splits a query string, as a client sent it, into its statements. A simple-protocol query may
 * hold several; semicolons inside string literals (standard, E'' and dollar-quoted), quoted
 * identifiers, comments and SQL-standard function bodies (`BEGIN ATOMIC ... END`, 14+) do not end
 * a statement. Statements come back trimmed, without their semicolon; empty ones are dropped.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  /** Depth inside BEGIN ATOMIC bodies: it and CASE open, END closes. */
  let atomicDepth = 0;
  const push = (end: number) => {
    const statement = text.slice(start, end).trim();
    if (statement.length > 0) statements.push(statement);
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (ch === '/' && next === '*') {
      i = skipBlockComment(text, i);
    } else if (ch === "'") {
      const escapes = /[eE]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? '');
      i = skipQuoted(text, i, "'", escapes);
    } else if (ch === '"') {
      i = skipQuoted(text, i, '"', false);
    } else if (ch === '$' && !/[\w$]/.test(text[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? text.length : end + tag[0].length;
      } else i++;
    } else if (/[A-Za-z_]/.test(ch) && !/[\w$]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z_][\w$]*/.exec(text.slice(i, i + 64))![0].toUpperCase();
      if (word === 'BEGIN' && /^\s+ATOMIC\b/i.test(text.slice(i + 5, i + 64))) atomicDepth++;
      else if (atomicDepth > 0 && word === 'CASE') atomicDepth++;
      else if (atomicDepth > 0 && word === 'END') atomicDepth--;
      i += word.length;
    } else if (ch === ';' && atomicDepth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(text.length);
  return statements;
}

function skipBlockComment(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** Past the closing quote; a doubled quote is one quote, and with `escapes` a backslash escapes. */
function skipQuoted(text: string, from: number, quote: string, escapes: boolean): number {
  let i = from + 1;
  while (i < text.length) {
    const ch = text[i];
    if (escapes && ch === '\\') i += 2;
    else if (ch === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** The statement's leading keywords, upper case, comments skipped: `['CREATE', 'UNIQUE', 'INDEX']`. */
export function leadingWords(statement: string, count: number): string[] {
  const words: string[] = [];
  const pattern = /\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|([A-Za-z_][\w$]*)|(.)/gy;
  for (let match = pattern.exec(statement); match && words.length < count; match = pattern.exec(statement)) {
    if (match[2] !== undefined) break;
    if (match[1] !== undefined) words.push(match[1].toUpperCase());
  }
  return words;
}
