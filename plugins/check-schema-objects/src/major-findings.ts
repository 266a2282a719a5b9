import {
  FEATURE_SINCE,
  hasFeature,
  majorName,
  majorVersion,
  qualified,
  quoteIdent,
  type ServerFeature,
} from '@pgshift/pg';
import type { CheckContext, ResolvedDatabase } from '@pgshift/plugin-api';
import {
  BUILT_IN_FUNCTIONS_SQL,
  builtInTypesUsedSql,
  MISSING_BUILT_IN_TYPES_SQL,
  postfixOperatorsSql,
  type SupportRow,
  supportFunctionsSql,
  type TypeUseRow,
  tablesWithOidsSql,
  usesOfBuiltInTypesSql,
} from './major-sql.js';

/** One source object the target's major cannot create as it is, and how to fix it on the source. */
export interface MajorFinding {
  database: string;
  problem: string;
  remedy: string;
  /** The operator or aggregate as `schema.name(args)` without spaces, where a finding is about one. */
  routine?: string;
}

const routineKey = (text: string) => text.replace(/\s/g, '');

/** The source and target server_version_num of a check. */
export interface Versions {
  source: number;
  target: number;
}

/** Built-in types gone in later majors, and the type to change a column to instead. */
const REPLACEMENTS: Record<string, string> = {
  abstime: 'timestamp with time zone',
  _abstime: 'timestamp with time zone[]',
  reltime: 'interval',
  _reltime: 'interval[]',
  unknown: 'text',
};

/**
 * How a column's values become the replacement type where a plain cast does not do: abstime's
 * 'invalid' has no timestamp (it becomes NULL, which the remedy says).
 */
const CONVERSIONS: Record<string, { using: (column: string) => string; note: string }> = {
  abstime: { using: (column) => `NULLIF(${column}, 'invalid')`, note: "  -- 'invalid' becomes NULL" },
};

/** A removal the target has and the source does not: what was there still may be in use. */
const removed = (v: Versions, feature: ServerFeature) =>
  !hasFeature(v.source, feature) && hasFeature(v.target, feature);

const since = (feature: ServerFeature) => `PostgreSQL ${majorName(FEATURE_SINCE[feature])} and later`;

function selected(database: ResolvedDatabase, schema: string | null, name: string | null): boolean {
  return database.whole || database.tables.some((t) => t.schema === schema && t.name === name);
}

/** Tables the copy does not create are left alone; other kinds go with the database. */
function created(database: ResolvedDatabase, use: TypeUseRow): boolean {
  return use.relkind !== 'r' && use.relkind !== 'p' ? true : selected(database, use.relSchema, use.relName);
}

function typeRemedy(use: TypeUseRow): string {
  const to = REPLACEMENTS[use.typname];
  const column = use.column === null ? '' : quoteIdent(use.column);
  const relation =
    use.relSchema === null || use.relName === null ? '' : qualified(use.relSchema, use.relName);
  if (to && use.kind === 'column' && (use.relkind === 'r' || use.relkind === 'p')) {
    const conversion = CONVERSIONS[use.typname];
    const value = conversion ? conversion.using(column) : column;
    return `ALTER TABLE ${relation} ALTER COLUMN ${column} TYPE ${to} USING ${value}::${to};${conversion?.note ?? ''}`;
  }
  if (to && use.kind === 'attribute') return `ALTER TYPE ${relation} ALTER ATTRIBUTE ${column} TYPE ${to};`;
  return `-- ${use.kind} ${use.name}: change it to use ${to ?? 'a type the target has'}, or drop it`;
}

/** Columns, domains, ranges and functions that use built-in types the target does not have. */
async function missingTypes(ctx: CheckContext, database: ResolvedDatabase, v: Versions) {
  const on = { database: database.name };
  const { rows: used } = await ctx.source.query<{ name: string }>(builtInTypesUsedSql(v.source), [], on);
  const names = used.map((r) => r.name);
  const { rows: missing } = await ctx.target.query<{ name: string }>(MISSING_BUILT_IN_TYPES_SQL, [names]);
  const gone = new Set(missing.map((r) => r.name));
  // `unknown` is still a type, but tables refuse columns of it.
  const unknownRefused = removed(v, 'noUnknownColumns') && names.includes('unknown');
  if (gone.size === 0 && !unknownRefused) return [];
  const { rows } = await ctx.source.query<TypeUseRow>(
    usesOfBuiltInTypesSql(v.source),
    [[...gone, ...(unknownRefused ? ['unknown'] : [])]],
    on,
  );
  return rows
    .filter((use) => created(database, use))
    .filter((use) => gone.has(use.typname) || use.relkind === 'r' || use.relkind === 'p')
    .map((use) => ({
      database: database.name,
      problem: gone.has(use.typname)
        ? `${use.kind} ${use.name} uses type ${use.type}, which PostgreSQL ${majorName(v.target)} does not have`
        : `column ${use.name} is of type unknown, which tables may not have from ${since('noUnknownColumns')}`,
      remedy: typeRemedy(use),
    }));
}

async function tablesWithOids(ctx: CheckContext, database: ResolvedDatabase, v: Versions) {
  if (!removed(v, 'noTableOids')) return [];
  const { rows } = await ctx.source.query<{ schema: string; name: string }>(tablesWithOidsSql(v.source), [], {
    database: database.name,
  });
  return rows
    .filter((t) => selected(database, t.schema, t.name))
    .map((t) => ({
      database: database.name,
      problem: `table ${qualified(t.schema, t.name)} is WITH OIDS, which ${since('noTableOids')} do not have (it would be created without its oid column)`,
      remedy: `ALTER TABLE ${qualified(t.schema, t.name)} SET WITHOUT OIDS;  -- first copy the oids into a column of their own if anything reads them`,
    }));
}

async function postfixOperators(ctx: CheckContext, database: ResolvedDatabase, v: Versions) {
  if (!removed(v, 'noPostfixOperators')) return [];
  const { rows } = await ctx.source.query<{ name: string; operand: string }>(
    postfixOperatorsSql(v.source),
    [],
    {
      database: database.name,
    },
  );
  return rows.map((o) => ({
    database: database.name,
    routine: routineKey(`${o.name}(${o.operand},NONE)`),
    problem: `postfix operator ${o.name} (${o.operand}, NONE) cannot be created: ${since('noPostfixOperators')} have no postfix operators`,
    remedy: `DROP OPERATOR ${o.name} (${o.operand}, NONE);  -- after replacing its uses with a function call or a prefix operator`,
  }));
}

/** Aggregates and operators made of built-in functions the target has dropped or changed. */
async function supportFunctions(ctx: CheckContext, database: ResolvedDatabase, v: Versions) {
  const { rows } = await ctx.source.query<SupportRow>(supportFunctionsSql(v.source), [], {
    database: database.name,
  });
  if (rows.length === 0) return [];
  const { rows: offered } = await ctx.target.query<{ name: string; signature: string }>(
    BUILT_IN_FUNCTIONS_SQL,
    [[...new Set(rows.map((r) => r.function))]],
  );
  const signatures = new Set(offered.map((f) => f.signature));
  const names = new Set(offered.map((f) => f.name));
  // A changed signature matters only to polymorphic objects: for concrete types the target
  // still finds the function by its name and argument types.
  const broken = rows.filter(
    (r) => !names.has(r.function) || (!signatures.has(r.signature) && r.polymorphic),
  );
  return broken.map((r) => {
    const instead = offered.filter((f) => f.name === r.function).map((f) => f.signature);
    return {
      database: database.name,
      routine: routineKey(r.name),
      problem: `${r.kind} ${r.name} uses ${r.signature}, which PostgreSQL ${majorName(v.target)} does not have${instead.length > 0 ? ` (it has ${instead.join(', ')})` : ''}`,
      remedy: `DROP ${r.kind.toUpperCase()} ${r.name};  -- on the source, then create it on the target after the copy with what the target offers`,
    };
  });
}

/**
 * What a selected database holds that the target's later major cannot create: built-in types it
 * no longer has, tables WITH OIDS, postfix operators, aggregates and operators made of built-in
 * functions it dropped or changed. Nothing unless the target runs a later major (an older one is
 * the versions check's Failed item).
 */
export async function majorFindings(
  ctx: CheckContext,
  database: ResolvedDatabase,
  v: Versions,
): Promise<MajorFinding[]> {
  if (majorVersion(v.target) <= majorVersion(v.source)) return [];
  const postfix = await postfixOperators(ctx, database, v);
  // A postfix operator is named once, as such, even when its function changed too (factorial).
  const named = new Set(postfix.map((f) => f.routine));
  const support = (await supportFunctions(ctx, database, v)).filter((f) => !named.has(f.routine));
  return [
    ...(await missingTypes(ctx, database, v)),
    ...(await tablesWithOids(ctx, database, v)),
    ...postfix,
    ...support,
  ];
}
