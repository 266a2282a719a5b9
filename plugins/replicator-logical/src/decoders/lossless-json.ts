/**
 * A JSON parser that keeps numbers as their source text: wal2json prints int8, numeric and floats
 * as JSON numbers, and JSON.parse would round them through doubles.
 */
export type JsonValue = string | boolean | null | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

/** A number exactly as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export function parseLosslessJson(text: string): JsonValue {
  const parser = new Parser(text);
  const value = parser.value();
  parser.space();
  if (parser.pos !== text.length) parser.fail('trailing characters');
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(why: string): never {
    throw new SyntaxError(`invalid JSON at ${this.pos}: ${why}`);
  }

  space(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  value(): JsonValue {
    this.space();
    const ch = this.text[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail('unexpected character');
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  object(): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = Object.create(null);
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      const key = this.string();
      this.space();
      if (this.text[this.pos] !== ':') this.fail('expected :');
      this.pos++;
      out[key] = this.value();
      this.space();
      const ch = this.text[this.pos++];
      if (ch === '}') return out;
      if (ch !== ',') this.fail('expected , or }');
    }
  }

  array(): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const ch = this.text[this.pos++];
      if (ch === ']') return out;
      if (ch !== ',') this.fail('expected , or ]');
    }
  }

  string(): string {
    if (this.text[this.pos] !== '"') this.fail('expected a string');
    // Find the closing quote, then let JSON.parse handle the escapes of this one string.
    let i = this.pos + 1;
    for (;;) {
      const ch = this.text[i];
      if (ch === undefined) this.fail('unterminated string');
      if (ch === '\\') i += 2;
      else if (ch === '"') break;
      else i++;
    }
    const literal = this.text.slice(this.pos, i + 1);
    this.pos = i + 1;
    return JSON.parse(literal) as string;
  }
}
