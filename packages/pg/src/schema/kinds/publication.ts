import { REPLICATION_NAME_PREFIX } from '../../bookkeeping.js';
import { qualified, quoteIdent, quoteLiteral } from '../../quote.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface PublicationRow extends KindRow {
  owner: string;
  allTables: boolean;
  insert: boolean;
  update: boolean;
  delete: boolean;
  truncate: boolean;
  viaRoot: boolean;
  /** n: generated columns are not published, s: stored ones are (18+). */
  generated: 'n' | 's';
  tables: { schema: string; name: string; columns: string[] | null; where: string | null }[] | null;
  schemas: string[] | null;
}

/**
 * Publications (CREATE PUBLICATION), only with options.copyPublications: a target seldom
 * publishes what its source did. The publication pgshift makes on the source to follow it is
 * never one of them.
 */
export const publicationKind: ObjectKind<PublicationRow> = {
  prefix: 'pub',
  catalog: 'pg_publication',
  label: 'publication',
  phase: 'post',
  rank: 10,
  onlyWith: 'copyPublications',
  jsonColumns: ['tables', 'schemas'],
  sql: (q) => {
    if (!q.has('publications')) return null;
    const filters = q.has('publicationFilters');
    const table = q.object({
      schema: 'tn.nspname',
      name: 'tc.relname',
      columns: filters
        ? `(SELECT pg_catalog.json_agg(a.attname ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs::pg_catalog.int2[]))`
        : 'NULL::pg_catalog.json',
      where: filters ? 'pg_catalog.pg_get_expr(pr.prqual, pr.prrelid)' : 'NULL::text',
    });
    return `SELECT p.oid::text AS oid, NULL::text AS nsp, p.pubname AS name,
        pg_catalog.pg_get_userbyid(p.pubowner) AS owner, pg_catalog.obj_description(p.oid, 'pg_publication') AS comment,
        p.puballtables AS "allTables", p.pubinsert AS insert, p.pubupdate AS update, p.pubdelete AS delete,
        ${q.has('publicationTruncate') ? 'p.pubtruncate' : 'false'} AS truncate,
        ${q.has('publicationViaRoot') ? 'p.pubviaroot' : 'false'} AS "viaRoot",
        ${q.has('publicationGeneratedColumns') ? 'p.pubgencols::text' : "'n'::text"} AS generated,
        (SELECT pg_catalog.json_agg(${table} ORDER BY tn.nspname, tc.relname)
          FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_class tc ON tc.oid = pr.prrelid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
          WHERE pr.prpubid = p.oid)::text AS tables,
        ${
          filters
            ? `(SELECT pg_catalog.json_agg(sn.nspname ORDER BY sn.nspname) FROM pg_catalog.pg_publication_namespace ps
          JOIN pg_catalog.pg_namespace sn ON sn.oid = ps.pnnspid WHERE ps.pnpubid = p.oid)::text`
            : 'NULL::text'
        } AS schemas
      FROM pg_catalog.pg_publication p
      WHERE pg_catalog.left(p.pubname, ${REPLICATION_NAME_PREFIX.length}) <> '${REPLICATION_NAME_PREFIX}'
        AND ${q.notExtMember('pg_publication', 'p.oid')}
      ORDER BY p.pubname`;
  },
  statements(p) {
    const name = quoteIdent(p.name);
    const what = `publication ${name}`;
    // Always the source's list: a newer target's default would add truncate to a 10 source's.
    const actions = (['insert', 'update', 'delete', 'truncate'] as const).filter((a) => p[a]);
    const options = [`publish = ${quoteLiteral(actions.join(', '))}`];
    if (p.viaRoot) options.push('publish_via_partition_root = true');
    if (p.generated === 's') options.push('publish_generated_columns = stored');
    const create = statement(
      `CREATE PUBLICATION ${name}${p.allTables ? ' FOR ALL TABLES' : ''} WITH (${options.join(', ')})`,
      what,
    );
    // ONLY: inheritance children are members of their own (partitions of a partitioned one are not).
    const tables = (p.tables ?? []).map((t) => {
      const table = qualified(t.schema, t.name);
      const columns = t.columns ? ` (${t.columns.map(quoteIdent).join(', ')})` : '';
      const where = t.where === null ? '' : ` WHERE (${t.where})`;
      return statement(
        `ALTER PUBLICATION ${name} ADD TABLE ONLY ${table}${columns}${where}`,
        `table ${table} of ${what}`,
      );
    });
    const schemas = (p.schemas ?? []).map((s) =>
      statement(
        `ALTER PUBLICATION ${name} ADD TABLES IN SCHEMA ${quoteIdent(s)}`,
        `schema ${quoteIdent(s)} of ${what}`,
      ),
    );
    return {
      create: [create, ...tables, ...schemas, ...commentOn(`PUBLICATION ${name}`, p.comment ?? null, what)],
      owner: [ownerDdl(`PUBLICATION ${name}`, p.owner, what)],
    };
  },
  compare: (p) => ({
    schema: '',
    name: p.name,
    signature: {
      allTables: p.allTables,
      publish: { insert: p.insert, update: p.update, delete: p.delete, truncate: p.truncate },
      viaRoot: p.viaRoot,
      generated: p.generated,
      tables: p.tables,
      schemas: p.schemas,
      comment: p.comment,
    },
  }),
};
