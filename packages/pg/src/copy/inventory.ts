import type { TableRef } from '@pgshift/plugin-api';
import type pg from 'pg';
import { NON_USER_SCHEMAS_SQL } from '../bookkeeping.js';
import { pairedArraysSql } from '../checks/selection.js';
import { qualified } from '../quote.js';
import { featuresOf } from '../server-features.js';
import { serverVersionNum } from '../server-version.js';
import type { ColumnInfo, TableInfo } from './types.js';

/**
 * The tables of the connected database that hold rows: ordinary tables and leaf partitions.
 * Partitioned parents (no rows of their own), views, materialized views (refreshed instead),
 * foreign tables and tables created by extensions are left out. With `tables` given, only those,
 * and for a partitioned table its leaf partitions.
 */
export async function readTableInventory(
  client: pg.Client,
  tables?: readonly TableRef[],
): Promise<TableInfo[]> {
  const versionNum = await serverVersionNum(client);
  const has = featuresOf(versionNum);
  const isPartition = has('declarativePartitions') ? 'k.relispartition' : 'false';
  const rels = await client.query<{
    oid: string;
    schema: string;
    name: string;
    bytes: string;
    pages: string;
    reltuples: string;
    partition: boolean;
  }>(
    `WITH RECURSIVE picked AS (
       SELECT c.oid
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND CASE WHEN $1::text[] IS NULL THEN
                n.nspname NOT IN ${NON_USER_SCHEMAS_SQL} AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                AND d.objid = c.oid AND d.deptype = 'e')
              ELSE (n.nspname, c.relname) IN (SELECT s, t FROM (${pairedArraysSql('$1', '$2', 's', 't')}) u) END
     ), tree AS (
       SELECT oid FROM picked
       UNION
       SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid
         JOIN pg_class k ON k.oid = i.inhrelid WHERE ${isPartition}
     )
     SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name,
            pg_table_size(c.oid)::text AS bytes,
            (pg_relation_size(c.oid) / current_setting('block_size')::int)::text AS pages,
            c.reltuples::text AS reltuples, ${isPartition.replace('k.', 'c.')} AS partition
       FROM tree JOIN pg_class c ON c.oid = tree.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r'
      ORDER BY n.nspname, c.relname`,
    tables ? [tables.map((t) => t.schema), tables.map((t) => t.name)] : [null, null],
  );
  if (rels.rows.length === 0) return [];
  const oids = rels.rows.map((r) => r.oid);
  const columns = await readColumns(client, oids, versionNum);
  const keys = await readKeys(client, oids, versionNum);
  return rels.rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    key: qualified(r.schema, r.name),
    bytes: Number(r.bytes),
    pages: Number(r.pages),
    rowEstimate: Number(r.reltuples),
    columns: columns.get(r.oid) ?? [],
    keyColumns: keys.get(r.oid) ?? [],
    partition: r.partition,
  }));
}

async function readColumns(client: pg.Client, oids: string[], versionNum: number) {
  const has = featuresOf(versionNum);
  const generated = has('generatedColumns') ? "a.attgenerated <> ''" : 'false';
  const identity = has('identityColumns') ? 'a.attidentity::text' : "''::text";
  const { rows } = await client.query<{
    oid: string;
    name: string;
    type: string;
    generated: boolean;
    identity: string;
    collatable: boolean;
    base: string;
    sendable: boolean;
  }>(
    `SELECT a.attrelid::int8::text AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            ${generated} AS generated, ${identity} AS identity, t.typcollation <> 0 AS collatable,
            (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END)::int8::text AS base,
            ${SENDABLE} AS sendable
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const byTable = new Map<string, ColumnInfo[]>();
  for (const row of rows) {
    const list = byTable.get(row.oid) ?? [];
    list.push({
      name: row.name,
      type: row.type,
      generated: row.generated,
      identity: row.identity,
      collatable: row.collatable,
      sendable: row.sendable,
      ...(BINARY_COMPARE[row.base] ? { binary: BINARY_COMPARE[row.base] } : {}),
    });
    byTable.set(row.oid, list);
  }
  return byTable;
}

/**
 * Whether a column's values may travel in binary COPY between two servers of one major (see
 * ColumnInfo.sendable): a base type from PostgreSQL's own catalog data (oids below 10000 are fixed
 * by the source tree, so equal on both servers, and so are the element oids arrays embed), with
 * binary send and receive functions, and not a reg* type, whose binary form is a server-local oid
 * where its text form is a name. Enums, domains, composites, ranges and extension types (oids
 * given at creation) always go as text.
 */
const SENDABLE = `(t.oid < 10000 AND t.typtype = 'b' AND t.typsend::oid <> 0 AND t.typreceive::oid <> 0
                   AND t.typname !~ '^_?reg')`;

const send = (fn: string, cast: string) => ({ send: fn, cast });

/**
 * Built-in types whose text output depends on the server major (float formatting; tsquery, whose
 * redundant parentheses 9.6 stopped printing), by type oid (the same on every server), with the
 * send function giving their exact, version-free bytes. Arrays go through array_send, whose
 * element type oid is built-in too.
 */
const BINARY_COMPARE: Record<string, { send: string; cast: string }> = {
  '700': send('float4send', 'float4'),
  '701': send('float8send', 'float8'),
  '600': send('point_send', 'point'),
  '601': send('lseg_send', 'lseg'),
  '602': send('path_send', 'path'),
  '603': send('box_send', 'box'),
  '604': send('poly_send', 'polygon'),
  '628': send('line_send', 'line'),
  '718': send('circle_send', 'circle'),
  '1021': send('array_send', 'float4[]'),
  '1022': send('array_send', 'float8[]'),
  '1017': send('array_send', 'point[]'),
  '1018': send('array_send', 'lseg[]'),
  '1019': send('array_send', 'path[]'),
  '1020': send('array_send', 'box[]'),
  '1027': send('array_send', 'polygon[]'),
  '629': send('array_send', 'line[]'),
  '719': send('array_send', 'circle[]'),
  '3615': send('tsquerysend', 'tsquery'),
  '3645': send('array_send', 'tsquery[]'),
};

/** Primary key columns, else those of the narrowest unique, non-partial, plain index on NOT NULL columns. */
async function readKeys(client: pg.Client, oids: string[], versionNum: number) {
  const keyAtts = featuresOf(versionNum)('coveringIndexes') ? 'i.indnkeyatts' : 'i.indnatts';
  const { rows } = await client.query<{ oid: string; columns: string }>(
    `SELECT DISTINCT ON (i.indrelid) i.indrelid::int8::text AS oid,
            json_agg(a.attname ORDER BY k.ord)::text AS columns
       FROM pg_index i
       -- int2vector subscripts start at 0; WITH ORDINALITY would need 9.4
       CROSS JOIN LATERAL (SELECT i.indkey[s] AS attnum, s + 1 AS ord
                             FROM generate_series(0, i.indnatts - 1) AS s) AS k
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = ANY($1::oid[]) AND (i.indisprimary OR i.indisunique) AND i.indisvalid
        AND i.indpred IS NULL AND i.indexprs IS NULL AND k.ord <= ${keyAtts}
      GROUP BY i.indrelid, i.indexrelid, i.indisprimary, ${keyAtts}
     HAVING bool_and(a.attnotnull)
      ORDER BY i.indrelid, i.indisprimary DESC, ${keyAtts}, i.indexrelid`,
    [oids],
  );
  return new Map(rows.map((r) => [r.oid, JSON.parse(r.columns) as string[]]));
}
