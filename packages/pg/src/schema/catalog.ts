import type pg from 'pg';
import { qualified } from '../quote.js';
import { aggregateAsFunction } from './aggregate.js';
import type { Catalog } from './catalog-contents.js';
import { type CatalogTable, type CatalogTables, catalogQueries } from './catalog-queries.js';
import type { SequenceRow } from './catalog-rows.js';
import { type CatalogSql, catalogSql } from './catalog-sql.js';
import { type KindRow, type KindRows, OBJECT_KINDS } from './kinds/index.js';

// Callers that read a catalog take its type from the reader too.
export type { Catalog } from './catalog-contents.js';

/*
 * The catalog reader: runs the queries of catalog-queries.ts and the kinds' own queries (kinds/)
 * one after another and returns what planSchema needs as one Catalog (catalog-contents.ts).
 */

/** Sequence options as rows of the sequence relation itself, before pg_sequence (10). */
export type LegacySequenceOptions = Pick<
  SequenceRow,
  'start' | 'increment' | 'min' | 'max' | 'cache' | 'cycle'
>;

const JSON_COLUMNS = new Set([
  'moving',
  'transFn',
  'finalFn',
  'combineFn',
  'serialFn',
  'deserialFn',
  'sortOp',
  'acl',
  'labels',
  'collation',
  'checks',
  'attributes',
  'range',
  'definition',
  'ownedBy',
  'options',
  'foreign',
  'toastOptions',
  'ofType',
  'parents',
  'parent',
  'roles',
]);

/**
 * Runs one catalog query; the columns named in `json` arrive as json text and are parsed. One
 * query at a time: a pg.Client queues them anyway, and this keeps errors attributable.
 */
async function readRows<Row extends pg.QueryResultRow>(
  client: pg.Client,
  what: string,
  text: string,
  json: ReadonlySet<string>,
): Promise<Row[]> {
  try {
    const { rows } = await client.query<Row>(text);
    for (const row of rows) parseJsonColumns(row, json);
    return rows;
  } catch (error) {
    throw new Error(`reading ${what} from the catalog failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Replaces, in place, the json text of the columns named in `json` by the value it holds. */
function parseJsonColumns(row: pg.QueryResultRow, json: ReadonlySet<string>): void {
  for (const key of Object.keys(row)) {
    const value: unknown = row[key];
    if (json.has(key) && typeof value === 'string') row[key] = JSON.parse(value);
  }
}

/** The rows of every object kind this server has, keyed by prefix. */
async function readKinds(client: pg.Client, q: CatalogSql): Promise<KindRows> {
  const rows: KindRows = {};
  for (const kind of OBJECT_KINDS) {
    const text = kind.sql(q);
    if (text === null) continue;
    rows[kind.prefix] = await readRows<KindRow>(
      client,
      `${kind.label}s`,
      text,
      new Set(kind.jsonColumns ?? []),
    );
  }
  return rows;
}

/** A sequence's options read from the sequence relation itself, as servers before 10 keep them. */
async function readLegacySequenceOptions(
  client: pg.Client,
  sequence: { schema: string; name: string },
): Promise<LegacySequenceOptions> {
  const { rows } = await client.query<LegacySequenceOptions>(
    `SELECT start_value::text AS start, increment_by::text AS increment, min_value::text AS min,
            max_value::text AS max, cache_value::text AS cache, is_cycled AS cycle
       FROM ${qualified(sequence.schema, sequence.name)}`,
  );
  const row = rows[0];
  if (!row) throw new Error(`reading sequence ${sequence.schema}.${sequence.name} returned no row`);
  return row;
}

/** Reads everything planSchema needs. Call inside withEmptySearchPath. */
export async function readCatalog(client: pg.Client, versionNum: number): Promise<Catalog> {
  const sql = catalogQueries(versionNum);
  // In the order of catalog-queries.ts, one query at a time.
  const read = <Table extends CatalogTable>(name: Table) =>
    readRows<CatalogTables[Table]>(client, name, sql[name], JSON_COLUMNS);
  const catalog: Catalog = {
    versionNum,
    schemas: await read('schemas'),
    extensions: await read('extensions'),
    collations: await read('collations'),
    types: await read('types'),
    // Aggregates are functions to everything downstream; only their CREATE differs.
    functions: [...(await read('functions')), ...(await read('aggregates')).map(aggregateAsFunction)],
    sequences: await read('sequences'),
    relations: await read('relations'),
    columns: await read('columns'),
    indexes: await read('indexes'),
    constraints: await read('constraints'),
    triggers: await read('triggers'),
    rules: await read('rules'),
    policies: await read('policies'),
    statistics: await read('statistics'),
    defaultAcls: await read('defaultAcls'),
    unsupported: await read('unsupported'),
    dependencies: await read('dependencies'),
    typeInfo: await read('typeInfo'),
    extensionMembers: await read('extensionMembers'),
    kinds: await readKinds(client, catalogSql(versionNum)),
  };
  if (!catalogSql(versionNum).has('sequenceCatalog')) {
    for (const sequence of catalog.sequences)
      Object.assign(sequence, await readLegacySequenceOptions(client, sequence));
  }
  return catalog;
}
