import { hasFeature, quoteIdent } from '@pgshift/pg';
import type { ServerHandle } from '@pgshift/plugin-api';

/** An extension the target account cannot create in a database that does not hold it yet. */
export interface Uncreatable {
  name: string;
  databases: string[];
}

/** Extensions installed in a target database; none when the database does not exist yet. */
async function installedIn(target: ServerHandle, database: string): Promise<Set<string>> {
  try {
    const { rows } = await target.query<{ name: string }>('SELECT extname AS name FROM pg_extension', [], {
      database,
    });
    return new Set(rows.map((r) => r.name));
  } catch {
    return new Set();
  }
}

/**
 * What `run` could not create as the target account: an extension that only a superuser may
 * create (untrusted, or any extension before 13) in a database that does not hold it yet.
 */
export async function uncreatableExtensions(
  target: ServerHandle,
  used: ReadonlyMap<string, { databases: string[] }>,
): Promise<{ account: string; missing: Uncreatable[] }> {
  const { rows: me } = await target.query<{ account: string; super: boolean }>(
    'SELECT current_user::text AS account, rolsuper AS super FROM pg_roles WHERE rolname = current_user',
  );
  const account = me[0]?.account ?? '';
  if (me[0]?.super) return { account, missing: [] };
  const trusted = new Set<string>();
  if (hasFeature((await target.version()).num, 'trustedExtensions')) {
    const { rows } = await target.query<{ name: string }>(
      'SELECT DISTINCT name FROM pg_available_extension_versions WHERE trusted AND name = ANY($1)',
      [[...used.keys()]],
    );
    for (const row of rows) trusted.add(row.name);
  }
  const installed = new Map<string, Set<string>>();
  const out: Uncreatable[] = [];
  for (const [name, { databases }] of used) {
    if (trusted.has(name)) continue;
    const lacking: string[] = [];
    for (const database of databases) {
      if (!installed.has(database)) installed.set(database, await installedIn(target, database));
      if (!installed.get(database)?.has(name)) lacking.push(database);
    }
    if (lacking.length > 0) out.push({ name, databases: lacking });
  }
  return { account, missing: out };
}

/** The SQL a superuser runs on the target before the migration, for each such extension. */
export function creationRemedy(account: string, missing: readonly Uncreatable[]): string {
  const lines = [
    `as a superuser on the target, before pgshift run (or migrate with a superuser account instead of ${account}):`,
  ];
  const databases = [...new Set(missing.flatMap((m) => m.databases))];
  for (const database of databases) {
    lines.push(
      `  CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(account)};  -- unless it exists`,
    );
    for (const m of missing.filter((x) => x.databases.includes(database)))
      lines.push(`  \\c ${quoteIdent(database)}\n  CREATE EXTENSION IF NOT EXISTS ${quoteIdent(m.name)};`);
  }
  return lines.join('\n');
}
