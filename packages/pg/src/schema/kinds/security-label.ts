import { BOOKKEEPING_SCHEMA } from '../../bookkeeping.js';
import { quoteIdent, quoteLiteral } from '../../quote.js';
import { statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface SecurityLabelRow extends KindRow {
  /** What pg_identify_object calls the labelled object: `table`, `table column`, `function`... */
  objectType: string;
  /** Its name as pg_identify_object prints it, quoted and qualified where needed. */
  identity: string;
  provider: string;
  label: string;
}

/** SECURITY LABEL's word for each kind of object pg_identify_object names. */
const TARGET: Record<string, string> = {
  table: 'TABLE',
  'table column': 'COLUMN',
  view: 'VIEW',
  'view column': 'COLUMN',
  'materialized view': 'MATERIALIZED VIEW',
  'materialized view column': 'COLUMN',
  'foreign table': 'FOREIGN TABLE',
  'foreign table column': 'COLUMN',
  sequence: 'SEQUENCE',
  type: 'TYPE',
  'composite type': 'TYPE',
  domain: 'DOMAIN',
  function: 'FUNCTION',
  aggregate: 'AGGREGATE',
  procedure: 'PROCEDURE',
  schema: 'SCHEMA',
  language: 'LANGUAGE',
  'large object': 'LARGE OBJECT',
  'event trigger': 'EVENT TRIGGER',
  publication: 'PUBLICATION',
};

/**
 * Security labels (SECURITY LABEL FOR provider ON ...) of the database's objects, set last, once
 * every object exists. The target must have the same label provider loaded (sepgsql, say); a
 * label on an object kind SECURITY LABEL cannot name is listed in `skipped`.
 */
export const securityLabelKind: ObjectKind<SecurityLabelRow> = {
  prefix: 'seclabel',
  catalog: 'pg_seclabel',
  label: 'security label',
  phase: 'post',
  rank: 11,
  sql: () => `SELECT l.classoid::text || '.' || l.objoid::text || '.' || l.objsubid::text AS oid, NULL::text AS nsp,
        i.type AS "objectType", i.identity, l.provider, l.label,
        i.type || ' ' || i.identity || ' for ' || l.provider AS name
      FROM pg_catalog.pg_seclabel l, LATERAL pg_catalog.pg_identify_object(l.classoid, l.objoid, l.objsubid) i
      WHERE i.schema IS NULL OR (i.schema <> 'information_schema' AND i.schema <> '${BOOKKEEPING_SCHEMA}' AND i.schema !~ '^pg_')
      ORDER BY 7`,
  statements(l) {
    const target = TARGET[l.objectType];
    if (!target) return { create: [], skipped: [{ kind: 'security label', name: l.name }] };
    return {
      create: [
        statement(
          `SECURITY LABEL FOR ${quoteIdent(l.provider)} ON ${target} ${l.identity} IS ${quoteLiteral(l.label)}`,
          `security label of ${l.objectType} ${l.identity}`,
        ),
      ],
    };
  },
  compare: (l) => ({ schema: '', name: l.name, signature: { label: l.label } }),
};
