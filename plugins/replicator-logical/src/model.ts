/**
 * The one change model every decoder produces. Values stay the server's text form; `null` is SQL
 * NULL and `undefined` is an unchanged TOAST value the decoder did not receive (leave it as is).
 */
export type Value = string | null | undefined;

/** Column name -> value. Created with a null prototype so any column name is a plain key. */
export type Row = Record<string, Value>;

export type ReplicaIdentity = 'default' | 'index' | 'full' | 'nothing';

/** A source table as the change stream names it. */
export interface RelationRef {
  schema: string;
  name: string;
}

/**
 * What the decoder knows about a relation's identity. pgoutput says it in its Relation message;
 * text formats leave it undefined and the follower asks the source catalog.
 */
export interface RelationIdentity {
  replicaIdentity: ReplicaIdentity;
  keyColumns: string[];
}

export interface BeginChange {
  kind: 'begin';
  xid?: number;
  /** Start of the commit record, when the format says it up front (pgoutput, wal2json). */
  commitLsn?: string;
  /** Commit time in microseconds since the Unix epoch, when known at begin. */
  commitTimeUs?: bigint;
}

export interface RelationChange {
  kind: 'relation';
  relation: RelationRef;
  identity: RelationIdentity;
  columns: string[];
}

export interface InsertChange {
  kind: 'insert';
  relation: RelationRef;
  identity?: RelationIdentity;
  new: Row;
  /** Bytes the message took on the wire, when the decoder knows: a cheap size for memory limits. */
  bytes?: number;
}

export interface UpdateChange {
  kind: 'update';
  relation: RelationRef;
  identity?: RelationIdentity;
  /** Old key (or the whole old row under REPLICA IDENTITY FULL); absent when the key did not change. */
  old?: Row;
  new: Row;
  /** Bytes the message took on the wire, when the decoder knows: a cheap size for memory limits. */
  bytes?: number;
}

export interface DeleteChange {
  kind: 'delete';
  relation: RelationRef;
  identity?: RelationIdentity;
  old: Row;
  /** Bytes the message took on the wire, when the decoder knows: a cheap size for memory limits. */
  bytes?: number;
}

export interface TruncateChange {
  kind: 'truncate';
  relations: RelationRef[];
  cascade: boolean;
  restartIdentity: boolean;
}

export interface CommitChange {
  kind: 'commit';
  /** Start of the commit record, when the format gives it. */
  commitLsn?: string;
  /** End of the commit record: the position from which decoding resumes after this transaction. */
  endLsn: string;
  /** endLsn as a number, when the decoder read it as one (saves parsing it again). */
  endPosition?: bigint;
  commitTimeUs?: bigint;
}

export type DataChange = InsertChange | UpdateChange | DeleteChange | TruncateChange;
export type Change = BeginChange | RelationChange | DataChange | CommitChange;

/**
 * Rows inherit nothing (no `__proto__` setter, no `constructor`), so any column name is a plain
 * key. Made by a constructor whose prototype has no prototype, rather than Object.create(null):
 * V8 keeps such objects in fast mode and rows of one relation share a shape, several times
 * cheaper to build and read on the hot path than dictionary-mode objects.
 */
class RowObject {
  [column: string]: Value;
}
Object.setPrototypeOf(RowObject.prototype, null);
Reflect.deleteProperty(RowObject.prototype, 'constructor');
Object.freeze(RowObject.prototype);

export function newRow(): Row {
  return new RowObject();
}

export function relationKey(relation: RelationRef): string {
  return `${relation.schema}\u0000${relation.name}`;
}

/** Rough byte size of a row's values, for batch limits. */
export function rowBytes(row: Row): number {
  let bytes = 0;
  for (const key in row) {
    const value = row[key];
    bytes += key.length + 8 + (typeof value === 'string' ? value.length : 0);
  }
  return bytes;
}
