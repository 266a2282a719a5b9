import {
  catalogSql,
  connectionUser,
  describeError,
  quoteIdent,
  quoteLiteral,
  USER_NSP,
  withSession,
} from '@pgshift/pg';
import type { CheckContext, OpenSession, ResolvedDatabase } from '@pgshift/plugin-api';

/** A user function whose code is a symbol of a shared library (C) or of the server itself (internal). */
export interface NativeFunction {
  database: string;
  name: string;
  language: 'c' | 'internal';
  /** The library as the function names it (`$libdir/regress`); null for internal functions. */
  library: string | null;
  symbol: string;
}

/** A security label provider the source's labels name (sepgsql, say): a module the target must load. */
export interface LabelProvider {
  database: string;
  provider: string;
  /** How many labels of the database name it. */
  labels: number;
}

/** What probing the target found: the functions whose code it cannot load, or why it could not look. */
export interface LibraryProbe {
  failed: Array<NativeFunction & { error: string }>;
  /** Label providers the target has not loaded. */
  missingProviders?: Array<LabelProvider & { error: string }>;
  unchecked?: string;
}

/** The label providers a selected database's security labels name. */
export async function labelProviders(
  ctx: CheckContext,
  database: ResolvedDatabase,
): Promise<LabelProvider[]> {
  const { rows } = await ctx.source.query<{ provider: string; labels: number }>(
    'SELECT l.provider, pg_catalog.count(*)::int AS labels FROM pg_catalog.pg_seclabel l GROUP BY 1 ORDER BY 1',
    [],
    { database: database.name },
  );
  return rows.map((row) => ({ database: database.name, ...row }));
}

/**
 * Whether the target has each provider loaded: removing a label (IS NULL) from a throwaway table
 * asks the provider, or fails with "security label provider ... is not loaded".
 */
async function probeProviders(
  session: OpenSession,
  providers: LabelProvider[],
): Promise<LibraryProbe['missingProviders']> {
  const missing: NonNullable<LibraryProbe['missingProviders']> = [];
  if (providers.length === 0) return missing;
  await session.query('BEGIN');
  try {
    await session.query('CREATE TEMPORARY TABLE pgshift_label_probe ()');
    for (const p of providers) {
      await session.query('SAVEPOINT pgshift_probe');
      try {
        await session.query(
          `SECURITY LABEL FOR ${quoteIdent(p.provider)} ON TABLE pg_temp.pgshift_label_probe IS NULL`,
        );
      } catch (e) {
        missing.push({ ...p, error: describeError(e) });
      }
      await session.query('ROLLBACK TO SAVEPOINT pgshift_probe');
    }
  } finally {
    await session.query('ROLLBACK').catch(() => {});
  }
  return missing;
}

function nativeFunctionsSql(v: number): string {
  const q = catalogSql(v);
  // Aggregates are internal-language rows of pg_proc too, with no code of their own.
  const notAggregate = q.has('procedures') ? "p.prokind <> 'a'" : 'NOT p.proisagg';
  return `SELECT pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) AS name,
      l.lanname::text AS language, p.probin AS library, p.prosrc AS symbol
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_catalog.pg_language l ON l.oid = p.prolang
    WHERE l.lanname IN ('c', 'internal') AND ${notAggregate} AND ${USER_NSP} AND ${q.notExtMember('pg_proc', 'p.oid')}
    ORDER BY 1`;
}

/** The C-language and internal functions of a selected database that the schema copy creates. */
export async function nativeFunctions(
  ctx: CheckContext,
  database: ResolvedDatabase,
  sourceVersion: number,
): Promise<NativeFunction[]> {
  const { rows } = await ctx.source.query<Omit<NativeFunction, 'database'>>(
    nativeFunctionsSql(sourceVersion),
    [],
    { database: database.name },
  );
  return rows.map((row) => ({ database: database.name, ...row }));
}

/** The CREATE FUNCTION that makes the target load the same code: the library and symbol are checked then. */
function probeSql(f: NativeFunction): string {
  const code =
    f.language === 'c'
      ? `${quoteLiteral(f.library ?? '')}, ${quoteLiteral(f.symbol)}`
      : quoteLiteral(f.symbol);
  return `CREATE FUNCTION pg_temp.pgshift_library_probe() RETURNS void LANGUAGE ${f.language} AS ${code}`;
}

/** One probe per distinct library and symbol, inside a transaction that is rolled back. */
async function probe(session: OpenSession, functions: NativeFunction[]): Promise<LibraryProbe['failed']> {
  const failed: LibraryProbe['failed'] = [];
  const errors = new Map<string, string | undefined>();
  await session.query('BEGIN');
  try {
    for (const f of functions) {
      const key = `${f.language}\u0000${f.library}\u0000${f.symbol}`;
      if (!errors.has(key)) {
        await session.query('SAVEPOINT pgshift_probe');
        let error: string | undefined;
        try {
          await session.query(probeSql(f));
        } catch (e) {
          error = describeError(e);
        }
        await session.query('ROLLBACK TO SAVEPOINT pgshift_probe');
        errors.set(key, error);
      }
      const error = errors.get(key);
      if (error !== undefined) failed.push({ ...f, error });
    }
  } finally {
    await session.query('ROLLBACK').catch(() => {});
  }
  return failed;
}

/** Whether the target's sessions run as a superuser, which creating C and internal functions needs. */
export async function targetIsSuperuser(ctx: CheckContext): Promise<boolean> {
  const { rows } = await ctx.target.query<{ superuser: string }>(
    "SELECT pg_catalog.current_setting('is_superuser') AS superuser",
  );
  return rows[0]?.superuser === 'on';
}

/**
 * Asks the target whether it can load the code of each function, by creating a throwaway function
 * from the same library and symbol in a transaction it rolls back (in the maintenance database:
 * the migrated ones do not exist yet). Only a superuser may create such functions.
 */
export async function probeLibraries(
  ctx: CheckContext,
  functions: NativeFunction[],
  superuser: boolean,
  providers: LabelProvider[] = [],
): Promise<LibraryProbe> {
  if (functions.length === 0 && providers.length === 0) return { failed: [] };
  // A label provider answers any user; C functions need a superuser to be created at all.
  const missingProviders = await withSession(ctx.target, {}, (session) => probeProviders(session, providers));
  if (functions.length === 0) return { failed: [], missingProviders };
  if (!superuser)
    return {
      failed: [],
      missingProviders,
      unchecked: `${connectionUser(ctx.target)} is not a superuser on the target, and only a superuser may create C-language and internal functions`,
    };
  return {
    failed: await withSession(ctx.target, {}, (session) => probe(session, functions)),
    missingProviders,
  };
}
