import { fixedSettingsSql } from '@pgshift/pg';
import type { SandboxServer } from '@pgshift/sandbox';

/** What a database holds, computed on the server so values never pass through JavaScript types. */
export interface Fingerprint {
  /** `schema.table` -> "rows:hash" for every ordinary table (partitions included, parents not). */
  tables: Record<string, string>;
  /** Counts of schema objects that a copy must recreate. */
  objects: { indexes: number; constraints: number; foreignKeys: number; partitions: number };
  /** `schema.sequence` -> last_value. */
  sequences: Record<string, string>;
}

// pgshift's fixed session settings, so the text of every value is the same whoever computes it.
const FIXED = fixedSettingsSql();

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Row count plus an order-independent hash: the sums of two 60-bit slices of md5(row text). No
 * sort is needed, duplicate rows count (tables without a key), and a changed row changes the sums.
 */
function tableHashSql(schema: string, table: string): string {
  return `SELECT count(*)::text || ':' ||
      coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint::numeric), 0)::text || ':' ||
      coalesce(sum(('x' || substr(md5(t::text), 16, 15))::bit(60)::bigint::numeric), 0)::text AS h
    FROM ${quote(schema)}.${quote(table)} AS t`;
}

export async function fingerprint(server: SandboxServer, database: string): Promise<Fingerprint> {
  const client = await server.client(database);
  try {
    await client.query(FIXED);
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgshift')
          AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1, 2`,
    );
    const result: Fingerprint = {
      tables: {},
      objects: { indexes: 0, constraints: 0, foreignKeys: 0, partitions: 0 },
      sequences: {},
    };
    for (const { schema, name } of tables) {
      const { rows } = await client.query<{ h: string }>(tableHashSql(schema, name));
      result.tables[`${schema}.${name}`] = rows[0]?.h ?? '';
    }
    const { rows: objects } = await client.query<Record<string, string>>(
      `SELECT
         (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('shop', 'public'))::text AS indexes,
         (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
            WHERE n.nspname IN ('shop', 'public') AND k.contype IN ('p', 'u', 'c', 'x', 'f'))::text AS constraints,
         (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
            WHERE n.nspname IN ('shop', 'public') AND k.contype = 'f')::text AS foreign_keys,
         (SELECT count(*) FROM pg_inherits)::text AS partitions`,
    );
    const o = objects[0] ?? {};
    result.objects = {
      indexes: Number(o.indexes),
      constraints: Number(o.constraints),
      foreignKeys: Number(o.foreign_keys),
      partitions: Number(o.partitions),
    };
    const { rows: sequences } = await client.query<{ name: string; last: string }>(
      `SELECT schemaname || '.' || sequencename AS name, coalesce(last_value::text, 'null') AS last
         FROM pg_sequences WHERE schemaname NOT IN ('pgshift') ORDER BY 1`,
    );
    for (const s of sequences) result.sequences[s.name] = s.last;
    return result;
  } finally {
    await client.end();
  }
}

/** Every difference between the source's fingerprint and a target's, as sentences; empty = equal. */
export function differences(source: Fingerprint, target: Fingerprint): string[] {
  const out: string[] = [];
  const names = new Set([...Object.keys(source.tables), ...Object.keys(target.tables)]);
  for (const name of [...names].sort()) {
    const s = source.tables[name];
    const t = target.tables[name];
    if (s === undefined) out.push(`${name}: only on the target`);
    else if (t === undefined) out.push(`${name}: missing on the target`);
    else if (s !== t) {
      const [sRows] = s.split(':');
      const [tRows] = t.split(':');
      out.push(
        sRows === tRows
          ? `${name}: same row count (${sRows}) but different content`
          : `${name}: ${tRows} rows on the target, ${sRows} on the source`,
      );
    }
  }
  for (const key of Object.keys(source.objects) as (keyof Fingerprint['objects'])[]) {
    if (source.objects[key] !== target.objects[key])
      out.push(`${key}: ${target.objects[key]} on the target, ${source.objects[key]} on the source`);
  }
  for (const [name, last] of Object.entries(source.sequences)) {
    if (target.sequences[name] !== last)
      out.push(
        `sequence ${name}: ${target.sequences[name] ?? 'missing'} on the target, ${last} on the source`,
      );
  }
  return out;
}

/** Total rows over all tables of a fingerprint. */
export function totalRows(print: Fingerprint): number {
  return Object.values(print.tables).reduce((sum, h) => sum + Number(h.split(':')[0]), 0);
}
