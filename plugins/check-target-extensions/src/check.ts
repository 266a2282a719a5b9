import { checkResult, errorCode, GuardedChecker, quoteIdent, quoteLiteral } from '@pgshift/pg';
import type { CheckContext, CheckResult, ServerHandle } from '@pgshift/plugin-api';
import { creationRemedy, uncreatableExtensions } from './creation-rights.js';

/** Compares extension versions by their numeric parts: 1.10 > 1.9, 2.5.1 > 2.5. */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const pb = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Versions of the named extensions the target can install. pg_available_extension_versions reads
 * every control file and fails on one it cannot parse (seen on packaged servers that ship control
 * files of a newer major); then each extension is asked about alone through its update paths.
 */
async function availableVersions(target: ServerHandle, names: string[]): Promise<Map<string, string[]>> {
  const versions = new Map<string, string[]>();
  try {
    const { rows } = await target.query<{ name: string; version: string }>(
      'SELECT name, version FROM pg_available_extension_versions WHERE name = ANY($1)',
      [names],
    );
    for (const row of rows) versions.set(row.name, [...(versions.get(row.name) ?? []), row.version]);
    return versions;
  } catch {
    versions.clear();
  }
  for (const name of names) {
    try {
      const { rows } = await target.query<{ version: string }>(
        `SELECT DISTINCT v AS version FROM pg_extension_update_paths($1) p, LATERAL (VALUES (p.source), (p.target)) AS x(v)`,
        [name],
      );
      // A control file with one version and no update path: the extension exists, its version is unknown.
      versions.set(
        name,
        rows.map((r: { version: string }) => r.version),
      );
    } catch (error) {
      if (errorCode(error) !== '58P01') throw error;
    }
  }
  return versions;
}

/** Every extension installed in a selected source database is available on the target, not older. */
export class TargetExtensionsChecker extends GuardedChecker {
  readonly id = 'target.extensions';
  readonly title = 'Extensions available on the target';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const used = new Map<string, { version: string; databases: string[] }>();
    for (const db of ctx.selection.databases) {
      const { rows } = await ctx.source.query<{ name: string; version: string }>(
        "SELECT extname AS name, extversion AS version FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1",
        [],
        { database: db.name },
      );
      for (const row of rows) {
        const entry = used.get(row.name) ?? { version: row.version, databases: [] };
        if (compareVersions(row.version, entry.version) > 0) entry.version = row.version;
        entry.databases.push(db.name);
        used.set(row.name, entry);
      }
    }
    if (used.size === 0) return checkResult(this, 'pass', 'the selected databases use no extensions');
    const versions = await availableVersions(ctx.target, [...used.keys()]);
    const missing: string[] = [];
    const older: string[] = [];
    const remedy: string[] = [];
    for (const [name, { version, databases }] of used) {
      const offered = versions.get(name) ?? [];
      const newest = offered.reduce<string | undefined>(
        (best, v) => (best === undefined || compareVersions(v, best) > 0 ? v : best),
        undefined,
      );
      if (!versions.has(name)) missing.push(`${name} ${version} (used in ${databases.join(', ')})`);
      else if (newest !== undefined && !offered.includes(version) && compareVersions(newest, version) < 0)
        older.push(`${name}: ${version} on the source, at most ${newest} on the target`);
      else continue;
      remedy.push(
        `install ${name} ${version} or later on the target host (the package that ships it for the target's PostgreSQL major, e.g. postgresql-<major>-${name} or the contrib package), then in each database: CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)} VERSION ${quoteLiteral(version)};`,
      );
    }
    // Of those the target offers, the ones run could not create as the target account.
    const offered = new Map([...used].filter(([name]) => versions.has(name)));
    const rights = await uncreatableExtensions(ctx.target, offered);
    const superuserOnly = rights.missing.map((m) => `${m.name} (in ${m.databases.join(', ')})`);
    if (rights.missing.length > 0) remedy.push(creationRemedy(rights.account, rights.missing));
    if (missing.length === 0 && older.length === 0 && superuserOnly.length === 0)
      return checkResult(
        this,
        'pass',
        `the target offers every extension in use: ${[...used.keys()].join(', ')}`,
      );
    const problems = [
      ...(missing.length > 0 ? [`missing on the target: ${missing.join('; ')}`] : []),
      ...(older.length > 0 ? [`older on the target: ${older.join('; ')}`] : []),
      ...(superuserOnly.length > 0
        ? [
            `only a superuser may create these on the target, and ${rights.account} is not one: ${superuserOnly.join('; ')}`,
          ]
        : []),
    ];
    return checkResult(this, 'failed', problems.join('. '), remedy.join('\n'), {
      missing,
      older,
      superuserOnly,
    });
  }
}
