import { checkResult, GuardedChecker, quoteIdent, quoteLiteral } from '@pgshift/pg';
import type { CheckContext, CheckResult, ServerHandle } from '@pgshift/plugin-api';

/** Settings whose difference changes how values are read, written or compared. */
export const COMPARED_SETTINGS = [
  'TimeZone',
  'DateStyle',
  'IntervalStyle',
  'standard_conforming_strings',
  'default_text_search_config',
  'lc_monetary',
  'lc_numeric',
  'bytea_output',
  // Not extra_float_digits: its default changed in 12 (0 to 1) only to print shortest exact text,
  // so every 10/11 to 12+ move would warn, and pgshift copies and compares with its own setting.
] as const;

interface DatabaseFacts {
  encoding: string;
  collate: string;
  ctype: string;
  settings: Record<string, string>;
}

async function facts(server: ServerHandle, database: string, settingsFrom: string): Promise<DatabaseFacts> {
  const { rows } = await server.query<{ encoding: string; collate: string; ctype: string }>(
    'SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate, datctype AS ctype FROM pg_database WHERE datname = $1',
    [database],
  );
  // Per-database settings (ALTER DATABASE ... SET) apply on connection, so read them in the database.
  const settings = await server.query<{ name: string; value: string }>(
    'SELECT name, current_setting(name) AS value FROM unnest($1::text[]) AS name',
    [[...COMPARED_SETTINGS]],
    { database: settingsFrom },
  );
  const row = rows[0] ?? { encoding: '?', collate: '?', ctype: '?' };
  return { ...row, settings: Object.fromEntries(settings.rows.map((r) => [r.name, r.value])) };
}

/**
 * Encoding, collation and ctype of each database, and settings such as TimeZone and DateStyle,
 * should match: a difference can change sort order, text conversion and how values print.
 */
export class SettingsChecker extends GuardedChecker {
  readonly id = 'settings.compatibility';
  readonly title = 'Encoding, collation and behaviour-changing settings';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const differences: string[] = [];
    const remedy: string[] = [];
    for (const db of ctx.selection.databases) {
      const { rows } = await ctx.target.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
      const onTarget = rows.length > 0;
      // A database pgshift creates starts from template1 and the server's settings.
      const targetDb = onTarget ? db.name : 'template1';
      const source = await facts(ctx.source, db.name, db.name);
      const target = await facts(ctx.target, targetDb, onTarget ? db.name : ctx.target.maintenanceDatabase);
      const where = onTarget ? `target database ${db.name}` : 'a new target database (from template1)';
      const locale: string[] = [];
      for (const key of ['encoding', 'collate', 'ctype'] as const)
        if (source[key] !== target[key])
          locale.push(`${key} ${source[key]} on the source, ${target[key]} in ${where}`);
      if (locale.length > 0) {
        differences.push(`${db.name}: ${locale.join(', ')}`);
        remedy.push(
          `-- on the target, ${onTarget ? 'recreate the (empty) database' : 'create the database before migrating'}:`,
          ...(onTarget ? [`DROP DATABASE ${quoteIdent(db.name)};`] : []),
          `CREATE DATABASE ${quoteIdent(db.name)} TEMPLATE template0 ENCODING ${quoteLiteral(source.encoding)} LC_COLLATE ${quoteLiteral(source.collate)} LC_CTYPE ${quoteLiteral(source.ctype)};`,
        );
      }
      const changed = COMPARED_SETTINGS.filter((name) => source.settings[name] !== target.settings[name]);
      if (changed.length > 0) {
        differences.push(
          `${db.name}: ${changed.map((n) => `${n} ${source.settings[n]} on the source, ${target.settings[n]} on the target`).join(', ')}`,
        );
        remedy.push(
          `-- on the target, as the database owner or a superuser${onTarget ? '' : ' (once the database exists)'}:`,
          ...changed.map(
            (n) =>
              `ALTER DATABASE ${quoteIdent(db.name)} SET ${n} = ${quoteLiteral(source.settings[n] ?? '')};`,
          ),
        );
      }
    }
    if (differences.length === 0)
      return checkResult(this, 'pass', 'encoding, collation, ctype and compared settings match');
    return checkResult(this, 'warning', `settings differ: ${differences.join('; ')}`, remedy.join('\n'), {
      differences,
    });
  }
}
