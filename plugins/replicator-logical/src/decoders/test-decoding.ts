import { CODES, ReplicationError } from '../errors.js';
import type { Change, RelationRef, Row } from '../model.js';
import { newRow } from '../model.js';
import { type Decoder, optionLiteral } from './decoder.js';

/**
 * test_decoding's text format, parsed here rather than by pg-logical-replication (whose parser
 * lacks TRUNCATE and turns values into JS types). Lines look like
 *   BEGIN 1234
 *   table public.t: INSERT: id[integer]:1 v[text]:'a''b'
 *   table public.t: UPDATE: old-key: id[integer]:1 new-tuple: id[integer]:2 v[text]:unchanged-toast-datum
 *   table public.a, "Odd"."B": TRUNCATE: restart_seqs cascade
 *   COMMIT 1234 (at 2026-01-01 10:00:00.123456+00)
 */
export class TestDecodingDecoder implements Decoder {
  readonly format = 'test_decoding' as const;

  startOptions(): string[] {
    return [
      `"include-xids" ${optionLiteral('1')}`,
      `"include-timestamp" ${optionLiteral('1')}`,
      `"skip-empty-xacts" ${optionLiteral('1')}`,
    ];
  }

  decode(payload: Buffer, lsn: () => string): Change[] {
    return [parseTestDecodingLine(payload.toString('utf8'), lsn())];
  }
}

function fail(line: string, why: string): never {
  throw new ReplicationError(
    CODES.decode,
    `could not parse a test_decoding line (${why}): ${line.slice(0, 200)}`,
  );
}

/** Parses one line; `lsn` is the WAL position the message was sent at (the commit's end for COMMIT). */
export function parseTestDecodingLine(line: string, lsn: string): Change {
  const begin = /^BEGIN(?: (\d+))?$/.exec(line);
  if (begin) return { kind: 'begin', ...(begin[1] ? { xid: Number(begin[1]) } : {}) };
  const commit = /^COMMIT(?: (\d+))?(?: \(at (.+)\))?$/.exec(line);
  if (commit) {
    const time = commit[2] ? parsePgTimestamp(commit[2]) : undefined;
    return { kind: 'commit', endLsn: lsn, ...(time === undefined ? {} : { commitTimeUs: time }) };
  }
  if (!line.startsWith('table ')) fail(line, 'unknown line');
  const cursor = new Cursor(line, 'table '.length);
  const relations: RelationRef[] = [cursor.qualifiedName()];
  while (cursor.peek(', ')) {
    cursor.expect(', ');
    relations.push(cursor.qualifiedName());
  }
  cursor.expect(': ');
  const action = cursor.word();
  cursor.expect(':');
  const relation = relations[0] as RelationRef;
  switch (action) {
    case 'INSERT':
      return { kind: 'insert', relation, new: cursor.tuple() ?? fail(line, 'INSERT without tuple data') };
    case 'UPDATE': {
      let old: Row | undefined;
      if (cursor.peek(' old-key:')) {
        cursor.expect(' old-key:');
        old = cursor.tuple(' new-tuple:') ?? newRow();
        cursor.expect(' new-tuple:');
      }
      const row = cursor.tuple() ?? fail(line, 'UPDATE without new tuple data');
      return { kind: 'update', relation, ...(old ? { old } : {}), new: row };
    }
    case 'DELETE': {
      const old = cursor.tuple();
      if (!old)
        throw new ReplicationError(
          CODES.noIdentity,
          `a DELETE on ${relation.schema}.${relation.name} carries no key (the table has REPLICA IDENTITY NOTHING or no primary key)`,
          { remedy: 'give the table a primary key or ALTER TABLE ... REPLICA IDENTITY FULL on the source' },
        );
      return { kind: 'delete', relation, old };
    }
    case 'TRUNCATE': {
      const flags = cursor.rest().trim().split(/\s+/);
      return {
        kind: 'truncate',
        relations,
        cascade: flags.includes('cascade'),
        restartIdentity: flags.includes('restart_seqs'),
      };
    }
    default:
      return fail(line, `unknown action ${action}`);
  }
}

/** `2026-01-01 10:00:00.123456+00` (timestamptz_to_str) -> microseconds since the Unix epoch. */
export function parsePgTimestamp(text: string): bigint | undefined {
  const m =
    /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?$/.exec(
      text,
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh, om = '0', os = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offsetSeconds = (Number(oh) * 3600 + Number(om) * 60 + Number(os)) * (sign === '-' ? -1 : 1);
  return (BigInt(ms) - BigInt(offsetSeconds) * 1000n) * 1000n + BigInt(frac.padEnd(6, '0'));
}

class Cursor {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  peek(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  expect(token: string): void {
    if (!this.peek(token)) fail(this.text, `expected ${JSON.stringify(token)} at ${this.pos}`);
    this.pos += token.length;
  }

  rest(): string {
    const rest = this.text.slice(this.pos);
    this.pos = this.text.length;
    return rest;
  }

  word(): string {
    const m = /^[A-Z]+/.exec(this.text.slice(this.pos, this.pos + 16));
    if (!m) fail(this.text, `expected an action at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  /** An identifier as quote_identifier writes it: bare, or in double quotes with "" doubled. */
  identifier(): string {
    if (this.text[this.pos] === '"') {
      let out = '';
      let i = this.pos + 1;
      for (;;) {
        const q = this.text.indexOf('"', i);
        if (q < 0) fail(this.text, 'unterminated quoted identifier');
        out += this.text.slice(i, q);
        if (this.text[q + 1] === '"') {
          out += '"';
          i = q + 2;
        } else {
          this.pos = q + 1;
          return out;
        }
      }
    }
    const m = /^[^.:,[\s"]+/.exec(this.text.slice(this.pos, this.pos + 256));
    if (!m) fail(this.text, `expected an identifier at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  qualifiedName(): RelationRef {
    const first = this.identifier();
    if (this.text[this.pos] === '.') {
      this.pos++;
      return { schema: first, name: this.identifier() };
    }
    return { schema: 'public', name: first };
  }

  /** Skips a `[type]` whose brackets nest for arrays and may hold quoted names. */
  skipType(): void {
    this.expect('[');
    let depth = 1;
    while (depth > 0) {
      const ch = this.text[this.pos];
      if (ch === undefined) fail(this.text, 'unterminated type');
      if (ch === '"') {
        this.identifier();
        continue;
      }
      if (ch === '[') depth++;
      else if (ch === ']') depth--;
      this.pos++;
    }
  }

  value(): string | null | undefined {
    const text = this.text;
    if (text[this.pos] === "'") return this.quoted(this.pos);
    if (text.startsWith("B'", this.pos)) return this.quoted(this.pos + 1);
    let end = text.indexOf(' ', this.pos);
    if (end < 0) end = text.length;
    const token = text.slice(this.pos, end);
    this.pos = end;
    if (token === 'null') return null;
    if (token === 'unchanged-toast-datum') return undefined;
    if (token === 'true') return 't';
    if (token === 'false') return 'f';
    if (token.length === 0) fail(text, 'empty value');
    // numbers (including NaN and Infinity), printed bare
    return token;
  }

  quoted(start: number): string {
    let out = '';
    let i = start + 1;
    for (;;) {
      const q = this.text.indexOf("'", i);
      if (q < 0) fail(this.text, 'unterminated string value');
      out += this.text.slice(i, q);
      if (this.text[q + 1] === "'") {
        out += "'";
        i = q + 2;
      } else {
        this.pos = q + 1;
        return out;
      }
    }
  }

  /** ` name[type]:value ...` up to the end or to `stop`; undefined for `(no-tuple-data)`. */
  tuple(stop?: string): Row | undefined {
    if (this.peek(' (no-tuple-data)')) {
      this.pos += ' (no-tuple-data)'.length;
      return undefined;
    }
    const row = newRow();
    while (this.pos < this.text.length && !(stop && this.peek(stop))) {
      this.expect(' ');
      const name = this.identifier();
      this.skipType();
      this.expect(':');
      row[name] = this.value();
    }
    return row;
  }
}
