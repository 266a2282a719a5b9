import { quoteIdent } from '../../quote.js';
import { USER_NSP } from '../catalog-sql.js';
import { ownerDdl } from '../ddl-acl.js';
import { commentOn, statement } from '../sql-text.js';
import { nameSql } from './name-sql.js';
import type { KindRow, ObjectKind } from './object-kind.js';

interface ConfigurationRow extends KindRow {
  nsp: string;
  schema: string;
  configName: string;
  /** `s.p` */
  parser: string;
  /** Per token type of the parser, the dictionaries (`s.d`) in the order they are consulted. */
  mappings: { token: string; dicts: string[] }[] | null;
}

/**
 * Text search configurations: CREATE TEXT SEARCH CONFIGURATION with the parser makes one with
 * no mappings, then one ADD MAPPING per token type lists its dictionaries in pg_ts_config_map's
 * order. The configuration's pg_depend rows name its parser and dictionaries.
 */
export const textSearchConfigurationKind: ObjectKind<ConfigurationRow> = {
  prefix: 'tsconfig',
  catalog: 'pg_ts_config',
  label: 'text search configuration',
  phase: 'pre',
  rank: 4.7,
  sql: (q) => `SELECT c.oid::text AS oid, c.cfgnamespace::text AS nsp, n.nspname AS schema,
        pg_catalog.format('%I.%I', n.nspname, c.cfgname) AS name, c.cfgname AS "configName",
        ${nameSql('pg_ts_parser', 'c.cfgparser')} AS parser,
        (SELECT pg_catalog.json_agg(${q.object({ token: 'tt.alias', dicts: 'tt.dicts' })} ORDER BY tt.tokentype)
          FROM (SELECT m.maptokentype AS tokentype, pg_catalog.json_agg(${nameSql('pg_ts_dict', 'm.mapdict')} ORDER BY m.mapseqno) AS dicts,
              (SELECT t.alias FROM pg_catalog.ts_token_type(c.cfgparser) t WHERE t.tokid = m.maptokentype) AS alias
            FROM pg_catalog.pg_ts_config_map m WHERE m.mapcfg = c.oid GROUP BY m.maptokentype) tt)::text AS mappings,
        pg_catalog.pg_get_userbyid(c.cfgowner) AS owner, pg_catalog.obj_description(c.oid, 'pg_ts_config') AS comment
      FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
      WHERE ${USER_NSP} AND ${q.notExtMember('pg_ts_config', 'c.oid')}
      ORDER BY 4`,
  jsonColumns: ['mappings'],
  statements(c) {
    const what = `text search configuration ${c.name}`;
    const target = `TEXT SEARCH CONFIGURATION ${c.name}`;
    return {
      create: [
        statement(`CREATE ${target} (PARSER = ${c.parser})`, what),
        ...(c.mappings ?? []).map((m) =>
          statement(
            `ALTER ${target} ADD MAPPING FOR ${quoteIdent(m.token)} WITH ${m.dicts.join(', ')}`,
            `mapping for ${m.token} of ${what}`,
          ),
        ),
        ...commentOn(target, c.comment ?? null, what),
      ],
      owner: c.owner ? [ownerDdl(target, c.owner, what)] : [],
    };
  },
  compare: (c) => ({
    schema: c.schema,
    name: c.configName,
    signature: { parser: c.parser, mappings: c.mappings, comment: c.comment },
  }),
};
