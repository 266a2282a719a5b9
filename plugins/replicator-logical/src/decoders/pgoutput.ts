import { lsnAt, PG_EPOCH_OFFSET_US } from '../backend-messages.js';
import { CODES, ReplicationError } from '../errors.js';
import type {
  BeginChange,
  Change,
  CommitChange,
  DeleteChange,
  InsertChange,
  RelationIdentity,
  RelationRef,
  ReplicaIdentity,
  Row,
  TruncateChange,
  UpdateChange,
} from '../model.js';
import { newRow } from '../model.js';
import { type Decoder, optionLiteral } from './decoder.js';

const IDENTITIES: Record<string, ReplicaIdentity> = { d: 'default', n: 'nothing', f: 'full', i: 'index' };

interface Relation {
  ref: RelationRef;
  identity: RelationIdentity;
  columns: string[];
}

function truncated(): ReplicationError {
  return new ReplicationError(CODES.decode, 'a pgoutput message ended early');
}

/**
 * A cursor over one message. Everything is read straight from the buffer: values become strings
 * (the server's text), positions `X/X` strings, times BigInt microseconds; nothing passes
 * through JS numbers where it could lose digits.
 */
class Reader {
  readonly #buffer: Buffer;
  offset = 0;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  #need(bytes: number): void {
    if (this.offset + bytes > this.#buffer.length) throw truncated();
  }

  byte(): number {
    this.#need(1);
    return this.#buffer[this.offset++] as number;
  }

  int16(): number {
    this.#need(2);
    const value = this.#buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    this.#need(4);
    const value = this.#buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint32(): number {
    this.#need(4);
    const value = this.#buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  lsn(): string {
    this.#need(8);
    const value = lsnAt(this.#buffer, this.offset);
    this.offset += 8;
    return value;
  }

  /** The position the last `lsn()` read, as a number (the 8 bytes before the cursor). */
  lastPosition(): bigint {
    return this.#buffer.readBigUInt64BE(this.offset - 8);
  }

  /** A timestamp (microseconds since 2000-01-01) as microseconds since the Unix epoch. */
  time(): bigint {
    this.#need(8);
    const value = this.#buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value + PG_EPOCH_OFFSET_US;
  }

  /** A NUL-terminated string. */
  string(): string {
    const end = this.#buffer.indexOf(0, this.offset);
    if (end < 0) throw truncated();
    const value = this.#buffer.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  /** TupleData: text values by column name; NULL as null, unchanged TOAST as undefined. */
  tuple(relation: Relation): Row {
    const count = this.int16();
    const columns = relation.columns;
    const buffer = this.#buffer;
    const row = newRow();
    for (let i = 0; i < count; i++) {
      const name = columns[i];
      if (name === undefined)
        throw new ReplicationError(
          CODES.decode,
          `a pgoutput tuple of ${relation.ref.name} has more columns than its relation`,
        );
      const kind = this.byte();
      if (kind === 0x74 /* t */) {
        const length = this.int32();
        this.#need(length);
        row[name] = buffer.toString('utf8', this.offset, this.offset + length);
        this.offset += length;
      } else if (kind === 0x6e /* n */) {
        row[name] = null;
      } else if (kind === 0x75 /* u */) {
        row[name] = undefined;
      } else {
        // 'b' (binary) only comes when asked for with the binary option, which pgshift never sets.
        throw new ReplicationError(
          CODES.decode,
          `a pgoutput tuple holds a value of kind ${String.fromCharCode(kind)}`,
        );
      }
    }
    return row;
  }
}

function readBegin(reader: Reader): BeginChange {
  const commitLsn = reader.lsn();
  const commitTimeUs = reader.time();
  const xid = reader.uint32();
  return { kind: 'begin', xid, commitLsn, commitTimeUs };
}

function readCommit(reader: Reader): CommitChange {
  reader.byte(); // flags, unused
  const commitLsn = reader.lsn();
  const endLsn = reader.lsn();
  const endPosition = reader.lastPosition();
  const commitTimeUs = reader.time();
  return { kind: 'commit', commitLsn, endLsn, endPosition, commitTimeUs };
}

/**
 * pgoutput, protocol version 1 (PostgreSQL 10+), read directly from the message bytes. The
 * relation of each OID is kept as announced by its latest Relation message, which the server
 * sends before the first change of a relation and again after its definition changed.
 */
export class PgoutputDecoder implements Decoder {
  readonly format = 'pgoutput' as const;
  readonly #publications: string[];
  readonly #relations = new Map<number, Relation>();

  constructor(publicationNames: string[]) {
    this.#publications = publicationNames;
  }

  startOptions(): string[] {
    return [
      `proto_version ${optionLiteral('1')}`,
      `publication_names ${optionLiteral(this.#publications.map((p) => `"${p.replaceAll('"', '""')}"`).join(','))}`,
    ];
  }

  #relation(oid: number): Relation {
    const relation = this.#relations.get(oid);
    if (!relation)
      throw new ReplicationError(
        CODES.decode,
        `a pgoutput change names relation ${oid} before its Relation message`,
      );
    return relation;
  }

  decode(payload: Buffer): Change[] {
    const reader = new Reader(payload);
    const tag = reader.byte();
    switch (tag) {
      case 0x42 /* B */:
        return [readBegin(reader)];
      case 0x43 /* C */:
        return [readCommit(reader)];
      case 0x52 /* R */:
        return [this.#readRelation(reader)];
      case 0x49 /* I */:
        return [this.#readInsert(reader, payload.length)];
      case 0x55 /* U */:
        return [this.#readUpdate(reader, payload.length)];
      case 0x44 /* D */:
        return [this.#readDelete(reader, payload.length)];
      case 0x54 /* T */:
        return [this.#readTruncate(reader)];
      case 0x59 /* Y */:
      case 0x4f /* O */:
      case 0x4d /* M */:
        // Type, origin and logical messages carry no row changes.
        return [];
      default:
        throw new ReplicationError(CODES.decode, `unknown pgoutput message ${String.fromCharCode(tag)}`);
    }
  }

  #readInsert(reader: Reader, bytes: number): InsertChange {
    const relation = this.#relation(reader.uint32());
    if (reader.byte() !== 0x4e /* N */) throw truncated();
    return {
      kind: 'insert',
      relation: relation.ref,
      identity: relation.identity,
      new: reader.tuple(relation),
      bytes,
    };
  }

  #readUpdate(reader: Reader, bytes: number): UpdateChange {
    const relation = this.#relation(reader.uint32());
    let kind = reader.byte();
    let old: Row | undefined;
    // 'K': the old key (the key changed); 'O': the whole old row (REPLICA IDENTITY FULL).
    if (kind === 0x4b || kind === 0x4f) {
      old = reader.tuple(relation);
      kind = reader.byte();
    }
    if (kind !== 0x4e /* N */) throw truncated();
    const row = reader.tuple(relation);
    const { ref, identity } = relation;
    return old
      ? { kind: 'update', relation: ref, identity, old, new: row, bytes }
      : { kind: 'update', relation: ref, identity, new: row, bytes };
  }

  #readDelete(reader: Reader, bytes: number): DeleteChange {
    const relation = this.#relation(reader.uint32());
    reader.byte(); // 'K' or 'O'
    return {
      kind: 'delete',
      relation: relation.ref,
      identity: relation.identity,
      old: reader.tuple(relation),
      bytes,
    };
  }

  #readTruncate(reader: Reader): TruncateChange {
    const count = reader.int32();
    const flags = reader.byte();
    const relations: RelationRef[] = [];
    for (let i = 0; i < count; i++) relations.push(this.#relation(reader.uint32()).ref);
    return { kind: 'truncate', relations, cascade: (flags & 1) !== 0, restartIdentity: (flags & 2) !== 0 };
  }

  #readRelation(reader: Reader): Change {
    const oid = reader.uint32();
    // pg_catalog is sent as an empty name.
    const schema = reader.string() || 'pg_catalog';
    const name = reader.string();
    const identity = IDENTITIES[String.fromCharCode(reader.byte())] ?? 'default';
    const count = reader.int16();
    const columns: string[] = [];
    const keyColumns: string[] = [];
    for (let i = 0; i < count; i++) {
      const flags = reader.byte();
      const column = reader.string();
      reader.uint32(); // type OID
      reader.int32(); // type modifier
      columns.push(column);
      if (flags & 1) keyColumns.push(column);
    }
    const relation: Relation = {
      ref: { schema, name },
      identity: { replicaIdentity: identity, keyColumns },
      columns,
    };
    this.#relations.set(oid, relation);
    return { kind: 'relation', relation: relation.ref, identity: relation.identity, columns };
  }
}
