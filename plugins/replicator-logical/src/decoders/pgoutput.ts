import { type Pgoutput, PgoutputPlugin } from 'pg-logical-replication';
import { CODES, ReplicationError } from '../errors.js';
import type { Change, RelationIdentity, RelationRef, Row } from '../model.js';
import { newRow } from '../model.js';
import { type Decoder, optionLiteral } from './decoder.js';

type Message = Pgoutput.Message;
type MessageRelation = Pgoutput.MessageRelation;

const keepText = (value: unknown) => value;

function copyRow(tuple: Record<string, unknown> | null): Row {
  const row = newRow();
  if (!tuple) return row;
  for (const key of Object.keys(tuple)) {
    const value = tuple[key];
    row[key] = value === undefined ? undefined : value === null ? null : String(value);
  }
  return row;
}

interface RelationInfo {
  ref: RelationRef;
  identity: RelationIdentity;
}

/**
 * The parser keeps one object per relation until a new Relation message replaces it, so what we
 * derive from it is made once per relation, not once per row (this is the hot path).
 */
const relationInfo = new WeakMap<MessageRelation, RelationInfo>();

function infoOf(relation: MessageRelation): RelationInfo {
  let info = relationInfo.get(relation);
  if (!info) {
    info = {
      ref: { schema: relation.schema, name: relation.name },
      identity: { replicaIdentity: relation.replicaIdentity, keyColumns: [...relation.keyColumns] },
    };
    relationInfo.set(relation, info);
  }
  return info;
}

const ref = (relation: MessageRelation): RelationRef => infoOf(relation).ref;
const identityOf = (relation: MessageRelation): RelationIdentity => infoOf(relation).identity;

/**
 * pgoutput, protocol version 1, parsed by pg-logical-replication's PgoutputPlugin. Its column
 * parsers are replaced by the identity so values stay the server's text (never JS numbers or Dates).
 */
export class PgoutputDecoder implements Decoder {
  readonly format = 'pgoutput' as const;
  readonly #plugin: PgoutputPlugin;
  readonly #publications: string[];

  constructor(publicationNames: string[]) {
    this.#publications = publicationNames;
    this.#plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames });
  }

  startOptions(): string[] {
    return [
      `proto_version ${optionLiteral('1')}`,
      `publication_names ${optionLiteral(this.#publications.map((p) => `"${p.replaceAll('"', '""')}"`).join(','))}`,
    ];
  }

  decode(_lsn: string, payload: Buffer): Change[] {
    let message: Message;
    try {
      message = this.#plugin.parse(payload) as Message;
    } catch (error) {
      throw new ReplicationError(CODES.decode, `could not decode a pgoutput message: ${String(error)}`, {
        cause: error,
      });
    }
    switch (message.tag) {
      case 'begin':
        return [
          {
            kind: 'begin',
            xid: message.xid,
            ...(message.commitLsn ? { commitLsn: message.commitLsn } : {}),
            commitTimeUs: BigInt(message.commitTime as bigint),
          },
        ];
      case 'relation':
        // The parser caches this object and reads later tuples through its column parsers.
        for (const column of message.columns) column.parser = keepText;
        return [
          {
            kind: 'relation',
            relation: ref(message),
            identity: identityOf(message),
            columns: message.columns.map((c) => c.name),
          },
        ];
      case 'insert':
        return [
          {
            kind: 'insert',
            relation: ref(message.relation),
            identity: identityOf(message.relation),
            new: copyRow(message.new),
          },
        ];
      case 'update': {
        const old = message.old ?? message.key;
        return [
          {
            kind: 'update',
            relation: ref(message.relation),
            identity: identityOf(message.relation),
            ...(old ? { old: copyRow(old) } : {}),
            new: copyRow(message.new),
          },
        ];
      }
      case 'delete':
        return [
          {
            kind: 'delete',
            relation: ref(message.relation),
            identity: identityOf(message.relation),
            old: copyRow(message.old ?? message.key),
          },
        ];
      case 'truncate':
        return [
          {
            kind: 'truncate',
            relations: message.relations.map(ref),
            cascade: message.cascade,
            restartIdentity: message.restartIdentity,
          },
        ];
      case 'commit':
        if (!message.commitEndLsn)
          throw new ReplicationError(CODES.decode, 'pgoutput commit without an end LSN');
        return [
          {
            kind: 'commit',
            ...(message.commitLsn ? { commitLsn: message.commitLsn } : {}),
            endLsn: message.commitEndLsn,
            commitTimeUs: BigInt(message.commitTime as bigint),
          },
        ];
      default:
        // type, origin and logical messages carry no row changes.
        return [];
    }
  }
}
