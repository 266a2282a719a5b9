import { describe, expect, it } from 'vitest';
import { PgoutputDecoder } from '../src/decoders/pgoutput.js';

/** Builds pgoutput protocol-1 messages byte by byte, as the server lays them out. */
class Message {
  readonly #parts: Buffer[] = [];

  byte(value: number | string): this {
    this.#parts.push(Buffer.from([typeof value === 'string' ? value.charCodeAt(0) : value]));
    return this;
  }

  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    this.#parts.push(b);
    return this;
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.#parts.push(b);
    return this;
  }

  int64(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(value);
    this.#parts.push(b);
    return this;
  }

  string(value: string): this {
    this.#parts.push(Buffer.from(value, 'utf8'), Buffer.from([0]));
    return this;
  }

  /** TupleData: a string is a text value, null NULL, undefined an unchanged TOAST value. */
  tuple(values: (string | null | undefined)[]): this {
    this.int16(values.length);
    for (const value of values) {
      if (value === null) this.byte('n');
      else if (value === undefined) this.byte('u');
      else {
        const bytes = Buffer.from(value, 'utf8');
        this.byte('t').int32(bytes.length);
        this.#parts.push(bytes);
      }
    }
    return this;
  }

  get buffer(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

const decode = (decoder: PgoutputDecoder, message: Message) => decoder.decode(message.buffer);

/** Relation 16384: "Odd ""schema"""."tbl ☃" (id key, note, big), replica identity default. */
function relationMessage(oid = 16384, identity = 'd') {
  return new Message()
    .byte('R')
    .int32(oid)
    .string('Odd "schema"')
    .string('tbl ☃')
    .byte(identity)
    .int16(3)
    .byte(1)
    .string('id')
    .int32(23)
    .int32(-1)
    .byte(0)
    .string('note')
    .int32(25)
    .int32(-1)
    .byte(0)
    .string('big')
    .int32(25)
    .int32(-1);
}

describe('pgoutput decoder', () => {
  it('reads BEGIN and COMMIT positions and times exactly, beyond 32 bits', () => {
    const decoder = new PgoutputDecoder(['pub']);
    // 2024-01-02 03:04:05.123456 UTC in microseconds since 2000-01-01.
    const pgTime = 757_479_845_123_456n;
    const begin = new Message().byte('B').int32(0x1).int32(0xa0b0c0d0).int64(pgTime).int32(0xfffffff0);
    expect(decode(decoder, begin)).toEqual([
      { kind: 'begin', xid: 0xfffffff0, commitLsn: '1/A0B0C0D0', commitTimeUs: 1_704_164_645_123_456n },
    ]);
    const commit = new Message()
      .byte('C')
      .byte(0)
      .int32(0x1)
      .int32(0xa0b0c0d0)
      .int32(0x1)
      .int32(0xa0b0c108)
      .int64(pgTime);
    expect(decode(decoder, commit)).toEqual([
      {
        kind: 'commit',
        commitLsn: '1/A0B0C0D0',
        endLsn: '1/A0B0C108',
        endPosition: 0x1_a0b0_c108n,
        commitTimeUs: 1_704_164_645_123_456n,
      },
    ]);
  });

  it('reads a relation and its rows: text exactly, NULL, unchanged TOAST, old key and old row', () => {
    const decoder = new PgoutputDecoder(['pub']);
    const [relation] = decode(decoder, relationMessage());
    expect(relation).toEqual({
      kind: 'relation',
      relation: { schema: 'Odd "schema"', name: 'tbl ☃' },
      identity: { replicaIdentity: 'default', keyColumns: ['id'] },
      columns: ['id', 'note', 'big'],
    });
    const text = "tab\there, newline\n, quote ' \\ 𝄞 ünï";
    const [insert] = decode(decoder, new Message().byte('I').int32(16384).byte('N').tuple(['1', text, null]));
    expect(insert).toMatchObject({ kind: 'insert', relation: { schema: 'Odd "schema"', name: 'tbl ☃' } });
    expect({ ...(insert as { new: object }).new }).toEqual({ id: '1', note: text, big: null });

    const [update] = decode(
      decoder,
      new Message()
        .byte('U')
        .int32(16384)
        .byte('K')
        .tuple(['1', null, null])
        .byte('N')
        .tuple(['2', 'x', undefined]),
    );
    const u = update as { old?: object; new: Record<string, unknown> };
    expect({ ...u.old }).toEqual({ id: '1', note: null, big: null });
    expect(Object.hasOwn(u.new, 'big')).toBe(true);
    expect(u.new.big).toBeUndefined();
    expect(u.new.id).toBe('2');

    const [plain] = decode(
      decoder,
      new Message().byte('U').int32(16384).byte('N').tuple(['2', 'y', undefined]),
    );
    expect((plain as { old?: object }).old).toBeUndefined();

    const [deleted] = decode(
      decoder,
      new Message().byte('D').int32(16384).byte('K').tuple(['2', null, null]),
    );
    expect(deleted).toMatchObject({ kind: 'delete', identity: { keyColumns: ['id'] } });
    expect({ ...(deleted as { old: object }).old }).toEqual({ id: '2', note: null, big: null });
  });

  it('reads TRUNCATE of several relations with its flags; pg_catalog comes as an empty schema', () => {
    const decoder = new PgoutputDecoder(['pub']);
    decode(decoder, relationMessage(1));
    decode(decoder, new Message().byte('R').int32(2).string('').string('x').byte('f').int16(0));
    const [truncate] = decode(decoder, new Message().byte('T').int32(2).byte(3).int32(1).int32(2));
    expect(truncate).toEqual({
      kind: 'truncate',
      relations: [
        { schema: 'Odd "schema"', name: 'tbl ☃' },
        { schema: 'pg_catalog', name: 'x' },
      ],
      cascade: true,
      restartIdentity: true,
    });
  });

  it('refuses a change to an unannounced relation, a cut message and an unknown tag with coded errors', () => {
    const decoder = new PgoutputDecoder(['pub']);
    expect(() => decode(decoder, new Message().byte('I').int32(99).byte('N').tuple(['1']))).toThrow(
      expect.objectContaining({ code: 'PGSHIFT_REPL_DECODE' }),
    );
    decode(decoder, relationMessage());
    const whole = new Message().byte('I').int32(16384).byte('N').tuple(['1', 'abc', null]).buffer;
    expect(() => decoder.decode(whole.subarray(0, whole.length - 3))).toThrow(/ended early/);
    expect(() => decode(decoder, new Message().byte('Z'))).toThrow(/unknown pgoutput message Z/);
  });

  it('keeps columns named like Object members as plain values', () => {
    const decoder = new PgoutputDecoder(['pub']);
    const names = ['__proto__', 'constructor', 'toString'];
    const relation = new Message().byte('R').int32(7).string('public').string('odd').byte('d').int16(3);
    for (const name of names) relation.byte(1).string(name).int32(25).int32(-1);
    decode(decoder, relation);
    const [insert] = decode(decoder, new Message().byte('I').int32(7).byte('N').tuple(['a', 'b', null]));
    const row = (insert as { new: Record<string, unknown> }).new;
    expect(Object.keys(row)).toEqual(names);
    expect(names.map((name) => row[name])).toEqual(['a', 'b', null]);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(row))).toBeNull();
    // Absent columns read as absent, not as inherited members.
    expect(row.hasOwnProperty).toBeUndefined();
  });

  it('passes over type, origin and logical messages', () => {
    const decoder = new PgoutputDecoder(['pub']);
    expect(decode(decoder, new Message().byte('Y').int32(600).string('public').string('t'))).toEqual([]);
    expect(decode(decoder, new Message().byte('O').int64(5n).string('origin'))).toEqual([]);
  });
});
