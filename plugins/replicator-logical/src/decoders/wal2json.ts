import { WAL2JSON_NUMBERS_AS_STRINGS } from '@pgshift/pg';
import type { ReplicationContext, SqlSession } from '@pgshift/plugin-api';
import { CODES, ReplicationError } from '../errors.js';
import type { Change, RelationRef, Row, Value } from '../model.js';
import { newRow } from '../model.js';
import { wal2jsonNumbersAsStrings } from '../wal2json-numbers.js';
import { type Decoder, optionLiteral } from './decoder.js';
import { JsonNumber, type JsonValue, parseLosslessJson } from './lossless-json.js';
import { parsePgTimestamp } from './test-decoding.js';

type Message = { [key: string]: JsonValue };

/**
 * wal2json format version 2: one JSON object per change, with BEGIN and COMMIT objects carrying
 * the commit LSN (`lsn`) and its end (`nextlsn`). Numbers are requested as strings when the
 * source's wal2json can (see wal2json-numbers.ts) and parsed losslessly anyway; unchanged TOAST
 * columns are simply absent from `columns`.
 */
export class Wal2jsonDecoder implements Decoder {
  readonly format = 'wal2json' as const;
  /** Ask for WAL2JSON_NUMBERS_AS_STRINGS; only wal2json 2.6 and later know it. */
  #numbersAsStrings: boolean;

  constructor(numbersAsStrings = true) {
    this.#numbersAsStrings = numbersAsStrings;
  }

  /** Asks the source's wal2json whether it knows the option, or refuses (wal2json-numbers.ts). */
  async prepare(source: SqlSession, ctx: ReplicationContext): Promise<void> {
    this.#numbersAsStrings = await wal2jsonNumbersAsStrings(source, ctx);
  }

  startOptions(): string[] {
    const on = optionLiteral('1');
    return [
      `"format-version" ${optionLiteral('2')}`,
      `"include-xids" ${on}`,
      `"include-timestamp" ${on}`,
      `"include-lsn" ${on}`,
      `"include-types" ${on}`,
      `"include-typmod" ${optionLiteral('0')}`,
      `"include-transaction" ${on}`,
      ...(this.#numbersAsStrings ? [`"${WAL2JSON_NUMBERS_AS_STRINGS}" ${on}`] : []),
    ];
  }

  decode(payload: Buffer, lsn: () => string): Change[] {
    let message: Message;
    try {
      message = parseLosslessJson(payload.toString('utf8')) as Message;
    } catch (error) {
      throw new ReplicationError(CODES.decode, `could not parse a wal2json message: ${String(error)}`);
    }
    return decodeWal2jsonMessage(message, lsn());
  }
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : value instanceof JsonNumber ? value.text : undefined;
}

function toValue(value: JsonValue | undefined, type: JsonValue | undefined): Value {
  if (value === null || value === undefined) return null;
  if (value === true) return 't';
  if (value === false) return 'f';
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string') {
    // wal2json strips bytea's leading \x
    return type === 'bytea' ? `\\x${value}` : value;
  }
  return JSON.stringify(value);
}

/** A JSON object (wal2json's column entries are `{ name, type, value }`). */
function isObject(value: JsonValue): value is Message {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}

function toRow(columns: JsonValue | undefined): Row {
  const row = newRow();
  if (!Array.isArray(columns)) return row;
  for (const column of columns) {
    if (isObject(column) && typeof column.name === 'string')
      row[column.name] = toValue(column.value, column.type);
  }
  return row;
}

function relationOf(message: Message): RelationRef {
  return { schema: text(message.schema) ?? 'public', name: text(message.table) ?? '' };
}

export function decodeWal2jsonMessage(message: Message, lsn: string): Change[] {
  const time = text(message.timestamp);
  const commitTimeUs = time ? parsePgTimestamp(time) : undefined;
  switch (message.action) {
    case 'B': {
      const commitLsn = text(message.lsn);
      return [
        {
          kind: 'begin',
          ...(message.xid instanceof JsonNumber ? { xid: Number(message.xid.text) } : {}),
          ...(commitLsn ? { commitLsn } : {}),
          ...(commitTimeUs === undefined ? {} : { commitTimeUs }),
        },
      ];
    }
    case 'C': {
      const commitLsn = text(message.lsn);
      return [
        {
          kind: 'commit',
          ...(commitLsn ? { commitLsn } : {}),
          endLsn: text(message.nextlsn) ?? lsn,
          ...(commitTimeUs === undefined ? {} : { commitTimeUs }),
        },
      ];
    }
    case 'I':
      return [{ kind: 'insert', relation: relationOf(message), new: toRow(message.columns) }];
    case 'U':
      return [
        {
          kind: 'update',
          relation: relationOf(message),
          ...(Array.isArray(message.identity) ? { old: toRow(message.identity) } : {}),
          new: toRow(message.columns),
        },
      ];
    case 'D':
      return [{ kind: 'delete', relation: relationOf(message), old: toRow(message.identity) }];
    case 'T':
      // format 2 writes one object per truncated table and no CASCADE/RESTART IDENTITY flags
      return [{ kind: 'truncate', relations: [relationOf(message)], cascade: false, restartIdentity: false }];
    default:
      // logical messages ("M") carry no row changes
      return [];
  }
}
