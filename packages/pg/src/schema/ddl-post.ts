import { qualified, quoteIdent } from '../quote.js';
import type { CatalogIndex } from './catalog-index.js';
import type { ConstraintRow, IndexRow, RelationRow } from './catalog-rows.js';
import { commentOn, role, statement, stripSemicolon } from './sql-text.js';
import type { SchemaStatement } from './types.js';

/* Statements that belong after the data: indexes, constraints, triggers, rules, policies. */

function relName(r: RelationRow): string {
  return qualified(r.schema, r.name);
}

/**
 * A table's primary key, unique and exclusion constraints, other indexes, CLUSTER and replica
 * identity, runnable as soon as its data is in. Indexes of a partitioned table are created on
 * the parent only (`ON ONLY`, invalid until attached), each partition builds its own, and
 * `indexAttachments` ties them together once all are there — as pg_dump does.
 *
 * On a plain table every index is a separate build (`indexBuild`), listed first, so the copy can
 * build them side by side: a primary key or unique constraint is its unique index, built like the
 * others, then made the constraint with `ADD CONSTRAINT ... USING INDEX` (as pgcopydb does).
 */
export function tablePostData(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  const name = relName(r);
  const builds: SchemaStatement[] = [];
  const out: SchemaStatement[] = [];
  const plain = r.relkind === 'r' && !r.isPartition;
  const indexes = index.indexes.get(r.oid) ?? [];
  for (const k of index.constraints.get(r.oid) ?? []) {
    if (k.contype !== 'p' && k.contype !== 'u' && k.contype !== 'x') continue;
    const own = indexes.find((i) => i.oid === k.indexOid);
    if (plain && k.contype !== 'x' && own && own.name === k.name) {
      builds.push(indexBuild(own.def, `index ${quoteIdent(k.name)} of constraint on ${name}`));
      const kind = k.contype === 'p' ? 'PRIMARY KEY' : 'UNIQUE';
      const timing = k.deferrable ? (k.deferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE') : '';
      out.push(
        statement(
          `ALTER TABLE ONLY ${name} ADD CONSTRAINT ${quoteIdent(k.name)} ${kind} USING INDEX ${quoteIdent(own.name)}${timing}`,
          `constraint ${quoteIdent(k.name)} on ${name}`,
        ),
      );
      continue;
    }
    out.push(
      statement(
        `ALTER TABLE ONLY ${name} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`,
        `constraint ${quoteIdent(k.name)} on ${name}`,
      ),
    );
  }
  for (const i of indexes) {
    if (i.backsConstraint) continue;
    const description = `index ${qualified(i.schema, i.name)} on ${name}`;
    if (plain) builds.push(indexBuild(i.def, description));
    else out.push(statement(i.def, description));
  }
  if (r.relkind === 'r') {
    for (const i of indexes)
      if (i.clustered)
        out.push(
          statement(
            `ALTER TABLE ONLY ${name} CLUSTER ON ${quoteIdent(i.name)}`,
            `cluster ${name} on ${i.name}`,
          ),
        );
    const replident = indexes.find((i) => i.replIdent);
    if (r.replIdent === 'f')
      out.push(statement(`ALTER TABLE ONLY ${name} REPLICA IDENTITY FULL`, `replica identity of ${name}`));
    else if (r.replIdent === 'n')
      out.push(statement(`ALTER TABLE ONLY ${name} REPLICA IDENTITY NOTHING`, `replica identity of ${name}`));
    else if (r.replIdent === 'i' && replident)
      out.push(
        statement(
          `ALTER TABLE ONLY ${name} REPLICA IDENTITY USING INDEX ${quoteIdent(replident.name)}`,
          `replica identity of ${name}`,
        ),
      );
  }
  return [...builds, ...out];
}

function indexBuild(def: string, description: string): SchemaStatement {
  return { ...statement(def, description), indexBuild: true };
}

/**
 * `CREATE [UNIQUE] INDEX IF NOT EXISTS ...` (9.5+): a build run again after a crash finds its index
 * already there (CREATE INDEX is transactional, so it is whole) and goes on.
 */
export function createIndexIfNotExists(sql: string): string {
  return sql.replace(/^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS )/, 'CREATE $1INDEX IF NOT EXISTS ');
}

/** `ALTER INDEX parent ATTACH PARTITION child`, deepest partitions first. */
export function indexAttachments(
  tables: RelationRow[],
  index: CatalogIndex,
  included: Set<string>,
): SchemaStatement[] {
  const items: { depth: number; index: IndexRow }[] = [];
  for (const r of tables) {
    if (!r.isPartition) continue;
    const parent = r.parents?.[0];
    if (!parent || !included.has(parent.oid)) continue;
    for (const i of index.indexes.get(r.oid) ?? [])
      if (i.parent) items.push({ depth: index.depth(r.oid), index: i });
  }
  items.sort((a, b) => b.depth - a.depth);
  return items.map(({ index: i }) => {
    const parent = i.parent as { schema: string; name: string };
    return statement(
      `ALTER INDEX ${qualified(parent.schema, parent.name)} ATTACH PARTITION ${qualified(i.schema, i.name)}`,
      `attachment of index ${qualified(i.schema, i.name)} to ${qualified(parent.schema, parent.name)}`,
    );
  });
}

/** NOT VALID checks and foreign keys (FKs only when the referenced table is migrated too). */
export function laterConstraints(
  r: RelationRow,
  index: CatalogIndex,
  included: Set<string>,
): SchemaStatement[] {
  const name = relName(r);
  const out: SchemaStatement[] = [];
  const add = (k: ConstraintRow, only: boolean) =>
    out.push(
      statement(
        `ALTER TABLE ${only ? 'ONLY ' : ''}${name} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`,
        `constraint ${quoteIdent(k.name)} on ${name}`,
      ),
    );
  for (const k of index.constraints.get(r.oid) ?? []) {
    if (k.contype === 'c' && k.isLocal && (!k.validated || index.splitChecks.has(k.oid))) add(k, false);
  }
  for (const k of index.constraints.get(r.oid) ?? []) {
    // Clones on partitions (parentOid set) are made by the parent's constraint.
    if (k.contype !== 'f' || k.parentOid !== '0' || !included.has(k.refRel)) continue;
    add(k, r.relkind !== 'p');
  }
  return out;
}

export function triggersAndRules(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  const name = relName(r);
  const out: SchemaStatement[] = [];
  for (const t of index.triggers.get(r.oid) ?? []) {
    const what = `trigger ${quoteIdent(t.name)} on ${name}`;
    out.push(statement(t.def, what));
    const mode = { D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[t.enabled];
    if (mode)
      out.push(statement(`ALTER TABLE ${name} ${mode} TRIGGER ${quoteIdent(t.name)}`, `${what} state`));
  }
  for (const rule of index.rules.get(r.oid) ?? [])
    out.push(statement(stripSemicolon(rule.def), `rule ${quoteIdent(rule.name)} on ${name}`));
  return out;
}

const POLICY_COMMANDS: Record<string, string> = {
  '*': 'ALL',
  r: 'SELECT',
  a: 'INSERT',
  w: 'UPDATE',
  d: 'DELETE',
};

export function rowSecurity(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  const name = relName(r);
  const out: SchemaStatement[] = [];
  if (r.rowSecurity)
    out.push(statement(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`, `row level security on ${name}`));
  if (r.forceRowSecurity)
    out.push(statement(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`, `row level security on ${name}`));
  for (const p of index.policies.get(r.oid) ?? []) {
    let sql = `CREATE POLICY ${quoteIdent(p.name)} ON ${name} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'}`;
    sql += ` FOR ${POLICY_COMMANDS[p.cmd] ?? 'ALL'} TO ${p.roles.map(role).join(', ')}`;
    if (p.qual !== null) sql += ` USING (${p.qual})`;
    if (p.withCheck !== null) sql += ` WITH CHECK (${p.withCheck})`;
    out.push(statement(sql, `policy ${quoteIdent(p.name)} on ${name}`));
  }
  return out;
}

/** Extended statistics objects (CREATE STATISTICS) on a table, with their comments. */
export function statisticsObjects(r: RelationRow, index: CatalogIndex): SchemaStatement[] {
  return (index.statistics.get(r.oid) ?? []).flatMap((x) => {
    const what = `statistics ${qualified(x.schema, x.name)}`;
    return [
      statement(x.def, what),
      ...commentOn(`STATISTICS ${qualified(x.schema, x.name)}`, x.comment, what),
    ];
  });
}

/** Comments on indexes, table constraints, triggers and rules. */
export function postDataComments(
  r: RelationRow,
  index: CatalogIndex,
  included: Set<string>,
): SchemaStatement[] {
  const name = relName(r);
  return [
    // An index behind a constraint has a comment of its own, apart from the constraint's.
    ...(index.indexes.get(r.oid) ?? []).flatMap((i) =>
      commentOn(`INDEX ${qualified(i.schema, i.name)}`, i.comment, `index ${qualified(i.schema, i.name)}`),
    ),
    ...(index.constraints.get(r.oid) ?? []).flatMap((k) =>
      (k.contype === 'c' && !k.isLocal) ||
      (k.contype === 'f' && (k.parentOid !== '0' || !included.has(k.refRel)))
        ? []
        : commentOn(
            `CONSTRAINT ${quoteIdent(k.name)} ON ${name}`,
            k.comment,
            `constraint ${quoteIdent(k.name)} on ${name}`,
          ),
    ),
    ...(index.triggers.get(r.oid) ?? []).flatMap((t) =>
      commentOn(
        `TRIGGER ${quoteIdent(t.name)} ON ${name}`,
        t.comment,
        `trigger ${quoteIdent(t.name)} on ${name}`,
      ),
    ),
    ...(index.rules.get(r.oid) ?? []).flatMap((rule) =>
      commentOn(
        `RULE ${quoteIdent(rule.name)} ON ${name}`,
        rule.comment,
        `rule ${quoteIdent(rule.name)} on ${name}`,
      ),
    ),
  ];
}
