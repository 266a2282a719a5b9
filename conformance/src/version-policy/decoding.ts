import { quoteLiteral } from '@pgshift/pg';
import type { DecoderFormat } from '@pgshift/plugin-api';

/** One row change as any of the three formats reports it, reduced to what the suite compares. */
export interface DecodedChange {
  kind: 'insert' | 'update' | 'delete';
  table: string;
  /** Column values as text, in column order; null for SQL NULL. */
  values: Array<string | null>;
}

const TEST_DECODING_CHANGE = /^table ([^:]+): (INSERT|UPDATE|DELETE): (.*)$/;

/**
 * Parses the column list of a test_decoding change line: `id[integer]:1 v[text]:'it''s'`.
 * Values are quoted when the type is a string type; `null` stands for SQL NULL.
 */
export function parseTestDecodingColumns(
  text: string,
): Array<{ name: string; type: string; value: string | null }> {
  const columns: Array<{ name: string; type: string; value: string | null }> = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    const open = text.indexOf('[', i);
    const close = text.indexOf(']:', open);
    if (open < 0 || close < 0) throw new Error(`not a test_decoding column list: ${text}`);
    const name = text.slice(i, open);
    const type = text.slice(open + 1, close);
    i = close + 2;
    let value: string | null;
    if (text[i] === "'") {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated value in: ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            out += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += text[i];
        i++;
      }
      value = out;
    } else {
      const end = text.indexOf(' ', i);
      const raw = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      value = raw === 'null' ? null : raw;
    }
    columns.push({ name, type, value });
  }
  return columns;
}

/** Parses one line of test_decoding output; BEGIN and COMMIT lines give undefined. */
export function parseTestDecoding(line: string): DecodedChange | undefined {
  if (/^(BEGIN|COMMIT)( \d+)?/.test(line)) return undefined;
  const match = TEST_DECODING_CHANGE.exec(line);
  if (!match) throw new Error(`not test_decoding output: ${line}`);
  const kind = match[2]!.toLowerCase() as DecodedChange['kind'];
  const body = match[3]!;
  const columns = body.startsWith('old-key:')
    ? parseTestDecodingColumns(body.slice(body.indexOf('new-tuple:') + 'new-tuple:'.length))
    : parseTestDecodingColumns(body);
  return { kind, table: match[1]!, values: columns.map((c) => c.value) };
}

/** Parses one wal2json (format 1) message into its changes. */
export function parseWal2json(text: string): DecodedChange[] {
  const message = JSON.parse(text) as {
    change?: Array<{ kind: string; schema: string; table: string; columnvalues?: unknown[] }>;
  };
  if (!Array.isArray(message.change)) throw new Error(`not wal2json output: ${text.slice(0, 200)}`);
  return message.change
    .filter((c) => c.kind === 'insert' || c.kind === 'update' || c.kind === 'delete')
    .map((c) => ({
      kind: c.kind as DecodedChange['kind'],
      table: `${c.schema}.${c.table}`,
      values: (c.columnvalues ?? []).map((v) => (v === null ? null : String(v))),
    }));
}

/**
 * Parses pgoutput (protocol 1) messages enough to read inserted tuples: Relation messages name
 * the tables, Insert messages carry text values.
 */
export function parsePgoutput(messages: readonly Buffer[]): DecodedChange[] {
  const relations = new Map<number, string>();
  const changes: DecodedChange[] = [];
  for (const buf of messages) {
    const type = String.fromCharCode(buf[0]!);
    if (type === 'R') {
      const id = buf.readUInt32BE(1);
      let at = 5;
      const schemaEnd = buf.indexOf(0, at);
      const schema = buf.toString('utf8', at, schemaEnd);
      at = schemaEnd + 1;
      const nameEnd = buf.indexOf(0, at);
      relations.set(id, `${schema || 'pg_catalog'}.${buf.toString('utf8', at, nameEnd)}`);
    } else if (type === 'I') {
      const id = buf.readUInt32BE(1);
      if (String.fromCharCode(buf[5]!) !== 'N') throw new Error('pgoutput Insert without a new tuple');
      changes.push({
        kind: 'insert',
        table: relations.get(id) ?? `relation ${id}`,
        values: tupleValues(buf, 6),
      });
    }
  }
  return changes;
}

function tupleValues(buf: Buffer, start: number): Array<string | null> {
  const count = buf.readUInt16BE(start);
  let at = start + 2;
  const values: Array<string | null> = [];
  for (let i = 0; i < count; i++) {
    const kind = String.fromCharCode(buf[at]!);
    at++;
    if (kind === 't') {
      const length = buf.readUInt32BE(at);
      at += 4;
      values.push(buf.toString('utf8', at, at + length));
      at += length;
    } else values.push(null);
  }
  return values;
}

/** The SQL function that reads a slot's changes for a format, with the options it needs. */
export function changesQuery(format: DecoderFormat, publication: string | undefined): string {
  if (format === 'pgoutput')
    return `SELECT data FROM pg_logical_slot_get_binary_changes($1, NULL, NULL, 'proto_version', '1', 'publication_names', ${quoteLiteral(publication ?? '')})`;
  return 'SELECT data FROM pg_logical_slot_get_changes($1, NULL, NULL)';
}
