import { BOOKKEEPING_SCHEMA, leadingWords, splitStatements } from '@pgshift/pg';
import type { TableRef } from '@pgshift/plugin-api';
import type { RelationRef, Row } from './model.js';

/**
 * One row of the source's `pgshift.ddl_log` (ddl-capture.ts) as the stream brings it, and what
 * can be read from it: which statement of the client's query text the command was, and how it
 * is to be run on the target.
 */
export interface DdlRecord {
  /** The log row's id on the source: how the user names a stopped command. */
  id: string;
  /** `end`: a command ran (ddl_command_end). `drop`: what the next command dropped (sql_drop). `skip`: a command on temporary objects, counted only. */
  kind: 'end' | 'drop' | 'skip';
  tag: string;
  ordinal: number;
  query: string;
  /** What the command touched; undefined on 9.4, whose event triggers cannot say. */
  objects: DdlObject[] | undefined;
  searchPath: string;
  role: string;
  xid: string;
  statementAt: string;
}

export interface DdlObject {
  type: string;
  schema: string | null;
  identity: string;
  /** The table (or other relation) the object is or belongs to: an index's table, a constraint's. */
  rel_schema?: string | null;
  rel_name?: string | null;
  rel_kind?: string | null;
  parent_schema?: string | null;
  parent_name?: string | null;
  /** Dropped objects (sql_drop) only. */
  name?: string | null;
  temporary?: boolean;
}

/** The command tags that create a table: the new table may join the followed set. */
export const TABLE_CREATING_TAGS = ['CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO'] as const;

export function createsTable(record: DdlRecord): boolean {
  return (TABLE_CREATING_TAGS as readonly string[]).includes(record.tag);
}

/** The table an object is or belongs to, with that table's parent (a partition's, an inheritor's). */
export function objectTable(
  object: DdlObject,
): { table: TableRef; parent: TableRef | undefined } | undefined {
  if (!object.rel_schema || !object.rel_name) return undefined;
  const parent =
    object.parent_schema && object.parent_name
      ? { schema: object.parent_schema, name: object.parent_name }
      : undefined;
  return { table: { schema: object.rel_schema, name: object.rel_name }, parent };
}

export function isDdlLog(relation: RelationRef): boolean {
  return relation.schema === BOOKKEEPING_SCHEMA && relation.name === 'ddl_log';
}

/** Reads a log row; undefined when it is not one the capture wrote (a column missing). */
export function ddlRecord(row: Row): DdlRecord | undefined {
  const { id, kind, tag, ordinal, query, objects, search_path, role_name, xid, stmt_at } = row;
  if (!id || !kind || !tag || ordinal == null || query == null || objects == null) return undefined;
  if (kind !== 'end' && kind !== 'drop' && kind !== 'skip') return undefined;
  return {
    id,
    kind,
    tag,
    ordinal: Number(ordinal),
    query,
    objects: objects === '' ? undefined : (JSON.parse(objects) as DdlObject[]),
    searchPath: search_path ?? '',
    role: role_name ?? '',
    xid: xid ?? '',
    statementAt: stmt_at ?? '',
  };
}

/** First words of the statements that fire event triggers (ddl_command_end). */
const DDL_WORDS = new Set([
  'CREATE',
  'ALTER',
  'DROP',
  'COMMENT',
  'GRANT',
  'REVOKE',
  'SECURITY',
  'IMPORT',
  'REFRESH',
]);

/**
 * The statement of the client's query text that this command was: the `ordinal`-th statement
 * that fires event triggers, when its first word agrees with the command tag. Undefined when the
 * text does not hold it (a command run by a function or a DO block, whose text is the call).
 */
export function commandStatement(record: DdlRecord): string | undefined {
  const candidates = splitStatements(record.query).filter((s) => DDL_WORDS.has(leadingWords(s, 1)[0] ?? ''));
  const statement = candidates[record.ordinal];
  if (!statement) return undefined;
  return leadingWords(statement, 1)[0] === record.tag.split(' ')[0] ? statement : undefined;
}

/** Whether a statement creates a temporary object (9.4 cannot say so through objects). */
export function createsTemporary(statement: string): boolean {
  const [create, first, second] = leadingWords(statement, 3);
  return (
    create === 'CREATE' &&
    (first === 'TEMP' ||
      first === 'TEMPORARY' ||
      ((first === 'LOCAL' || first === 'GLOBAL') && (second === 'TEMP' || second === 'TEMPORARY')))
  );
}

/** How a statement runs on the target. */
export interface TargetStatement {
  text: string;
  /**
   * Runs outside the group's transaction, on a session of its own, before the group commits:
   * `ALTER TYPE ... ADD VALUE` cannot run in a transaction block before 12 and, from 12, its value
   * is unusable until committed. It is made idempotent (IF NOT EXISTS), so a group rolled back and
   * applied again finds it done.
   */
  outsideTransaction: boolean;
}

/**
 * The statement as the target runs it: CONCURRENTLY dropped from index builds (they cannot run in
 * the group's transaction; nobody reads the target meanwhile), ADD VALUE made idempotent.
 */
export function targetStatement(statement: string): TargetStatement {
  const words = leadingWords(statement, 6);
  const [first, second, third] = words;
  if (
    (first === 'CREATE' || first === 'DROP') &&
    words.includes('INDEX') &&
    words[words.indexOf('INDEX') + 1] === 'CONCURRENTLY' &&
    (second === 'INDEX' || (second === 'UNIQUE' && third === 'INDEX'))
  )
    return { text: statement.replace(/\bCONCURRENTLY\b/i, ''), outsideTransaction: false };
  if (first === 'ALTER' && second === 'TYPE' && /\bADD\s+VALUE\b/i.test(statement)) {
    const text = /\bADD\s+VALUE\s+IF\s+NOT\s+EXISTS\b/i.test(statement)
      ? statement
      : statement.replace(/\bADD\s+VALUE\b/i, 'ADD VALUE IF NOT EXISTS');
    return { text, outsideTransaction: true };
  }
  return { text: statement, outsideTransaction: false };
}
