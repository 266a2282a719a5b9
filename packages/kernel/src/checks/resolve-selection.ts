import { NON_USER_SCHEMAS_SQL } from '@pgshift/pg';
import {
  type ObjectSelection,
  PgshiftError,
  type ResolvedDatabase,
  type ResolvedSelection,
  type ServerHandle,
  type TableRef,
} from '@pgshift/plugin-api';
import {
  coversWholeDatabase,
  matchesDatabase,
  matchesTable,
  parsePattern,
  tablePatternsFor,
} from './patterns.js';

/** A database named in `objects.databases` is missing on the source, or nothing was selected. */
export class SelectionError extends PgshiftError {
  constructor(message: string, remedy: string) {
    super('PGSHIFT_SELECTION', message, { remedy });
  }
}

const DATABASES_SQL = `SELECT datname FROM pg_catalog.pg_database
  WHERE NOT datistemplate AND datallowconn ORDER BY datname`;

// Ordinary and partitioned tables, outside system schemas, not created by an extension.
const TABLES_SQL = `SELECT n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p')
    AND n.nspname NOT IN ${NON_USER_SCHEMAS_SQL}
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY n.nspname, c.relname`;

/**
 * Resolves the config's `objects` block against the source: which databases move and, in each,
 * which tables. Absent blocks mean the whole instance.
 */
export async function resolveSelection(
  server: ServerHandle,
  objects: ObjectSelection = {},
): Promise<ResolvedSelection> {
  const include = (objects.include ?? []).map(parsePattern);
  const exclude = (objects.exclude ?? []).map(parsePattern);
  const existing = (await server.query<{ datname: string }>(DATABASES_SQL)).rows.map((r) => r.datname);

  let names: string[];
  if (objects.databases) {
    const missing = objects.databases.filter((d) => !existing.includes(d));
    if (missing.length > 0)
      throw new SelectionError(
        `objects.databases names ${missing.map((d) => `"${d}"`).join(', ')}, which the source does not have`,
        `use one of the source's databases: ${existing.join(', ')}`,
      );
    names = [...objects.databases];
  } else names = existing;
  if (include.length > 0) names = names.filter((d) => include.some((p) => matchesDatabase(p, d)));
  names = names.filter((d) => !exclude.some((p) => coversWholeDatabase(p) && matchesDatabase(p, d)));

  const databases: ResolvedDatabase[] = [];
  for (const name of names) {
    const all = (await server.query<TableRef>(TABLES_SQL, [], { database: name })).rows.map((r) => ({
      schema: r.schema,
      name: r.name,
    }));
    const tables = all.filter(
      (t) =>
        (include.length === 0 || include.some((p) => matchesTable(p, name, t.schema, t.name))) &&
        !exclude.some((p) => matchesTable(p, name, t.schema, t.name)),
    );
    databases.push({
      name,
      whole: tables.length === all.length,
      tables,
      patterns: tablePatternsFor(name, include, exclude),
    });
  }
  if (databases.length === 0)
    throw new SelectionError(
      'the objects block selects no database on the source',
      'check objects.databases and the include/exclude patterns against the source',
    );
  return {
    wholeInstance: !objects.databases && include.length === 0 && exclude.length === 0,
    databases,
  };
}
