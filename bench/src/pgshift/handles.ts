import { createServerHandle, directRoute } from '@pgshift/pg';
import type { ResolvedDatabase, ServerHandle, ServerRole, TableRef } from '@pgshift/plugin-api';
import type { Endpoint } from './spec.js';

export function handleFor(role: ServerRole, endpoint: Endpoint): ServerHandle {
  return createServerHandle(role, directRoute({ ...endpoint, database: 'postgres' }), 'postgres');
}

// The same table list the kernel's selection resolver makes for a whole database.
const TABLES_SQL = `SELECT n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY n.nspname, c.relname`;

export async function wholeDatabase(source: ServerHandle, name: string): Promise<ResolvedDatabase> {
  const { rows } = await source.query<TableRef>(TABLES_SQL, [], { database: name });
  return { name, whole: true, tables: rows.map((r) => ({ schema: r.schema, name: r.name })) };
}
