import { BOOKKEEPING_SCHEMA } from '../../bookkeeping.js';
import { quoteIdent, quoteLiteral } from '../../quote.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface EventTriggerRow extends KindRow {
  owner: string;
  event: string;
  tags: string[] | null;
  /** `s.f` of the function it executes. */
  func: string;
  /** O: enabled, D: disabled, R: fires only in replica sessions, A: fires always. */
  enabled: 'O' | 'D' | 'R' | 'A';
}

const ENABLE = { O: 'ENABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS', D: 'DISABLE' } as const;

/**
 * Event triggers (CREATE EVENT TRIGGER). They would fire on the DDL pgshift runs on the target
 * and on schema changes applied while following, so each is created disabled, last, and enabled
 * as on the source only when the migration finishes (SchemaPlan.finish). pgshift's own, whose
 * function lives in its bookkeeping schema, stay on the source.
 */
export const eventTriggerKind: ObjectKind<EventTriggerRow> = {
  prefix: 'evt',
  catalog: 'pg_event_trigger',
  label: 'event trigger',
  phase: 'post',
  rank: 10,
  jsonColumns: ['tags'],
  sql: (q) => `SELECT e.oid::text AS oid, NULL::text AS nsp, e.evtname AS name,
        pg_catalog.pg_get_userbyid(e.evtowner) AS owner, pg_catalog.obj_description(e.oid, 'pg_event_trigger') AS comment,
        e.evtevent AS event, pg_catalog.array_to_json(e.evttags)::text AS tags,
        pg_catalog.format('%I.%I', n.nspname, p.proname) AS func, e.evtenabled::text AS enabled
      FROM pg_catalog.pg_event_trigger e JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname <> '${BOOKKEEPING_SCHEMA}' AND ${q.notExtMember('pg_event_trigger', 'e.oid')}
      ORDER BY e.evtname`,
  statements(e) {
    const name = quoteIdent(e.name);
    const what = `event trigger ${name}`;
    const when = e.tags && e.tags.length > 0 ? ` WHEN TAG IN (${e.tags.map(quoteLiteral).join(', ')})` : '';
    // EXECUTE PROCEDURE: the spelling every major from 9.3 to 18 accepts.
    const sql = `CREATE EVENT TRIGGER ${name} ON ${quoteIdent(e.event)}${when} EXECUTE PROCEDURE ${e.func}()`;
    return {
      create: [
        statement(sql, what),
        statement(`ALTER EVENT TRIGGER ${name} DISABLE`, `${what}, disabled until the migration finishes`),
        ...commentOn(`EVENT TRIGGER ${name}`, e.comment ?? null, what),
      ],
      owner: [ownerDdl(`EVENT TRIGGER ${name}`, e.owner, what)],
      finish:
        e.enabled === 'D'
          ? []
          : [statement(`ALTER EVENT TRIGGER ${name} ${ENABLE[e.enabled]}`, `enabling ${what}`)],
    };
  },
  compare: (e) => ({
    schema: '',
    name: e.name,
    signature: { event: e.event, tags: e.tags, func: e.func, enabled: e.enabled, comment: e.comment },
  }),
};
