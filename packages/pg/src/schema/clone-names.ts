import { qualified, quoteLiteral } from '../quote.js';
import type { CatalogIndex } from './catalog-index.js';
import type { ConstraintRow, RelationRow } from './catalog-rows.js';
import { statement } from './sql-text.js';
import type { SchemaStatement } from './types.js';

/*
 * A foreign key that involves a partitioned table is cloned: onto every partition of the
 * referencing table and, for every partition of the referenced one, onto the referencing table
 * itself. The server makes the clones' names up when the key is added, so the target's need not
 * be the source's (made years apart, around renames and attaches). After the keys exist, each
 * table's clones are renamed to the source's names. A clone is told apart by what the server
 * cannot name differently: its root key (the one created by name) and the pair of tables it joins.
 * Names may be swapped between clones, hence two passes: wrong names to temporary ones, then
 * each to its own.
 */

interface CloneName {
  /** The referenced table of this clone. */
  references: string;
  /** The key it was cloned from, ultimately: its table and name. */
  rootTable: string;
  rootName: string;
  want: string;
}

function renameBlock(table: string, clones: CloneName[]): SchemaStatement {
  const wanted = clones
    .map(
      (c) =>
        `(${quoteLiteral(c.references)}::pg_catalog.regclass, ${quoteLiteral(c.rootTable)}::pg_catalog.regclass, ${quoteLiteral(c.rootName)}, ${quoteLiteral(c.want)})`,
    )
    .join(', ');
  const rel = quoteLiteral(table);
  const body = `DECLARE r record; BEGIN
  CREATE TEMPORARY TABLE cloned_key_names ON COMMIT DROP AS
    WITH RECURSIVE up(clone, parent, top) AS (
      SELECT c.oid, c.conparentid, c.oid FROM pg_catalog.pg_constraint c
       WHERE c.conrelid = ${rel}::pg_catalog.regclass AND c.contype = 'f' AND c.conparentid <> 0
      UNION ALL
      SELECT up.clone, p.conparentid, p.oid FROM up JOIN pg_catalog.pg_constraint p ON p.oid = up.parent)
    SELECT c.conname::text AS have, v.want::text AS want, 'cloned_key_' || c.oid::text AS temp
      FROM up JOIN pg_catalog.pg_constraint root ON root.oid = up.top
      JOIN pg_catalog.pg_constraint c ON c.oid = up.clone
      JOIN (VALUES ${wanted}) v(ref, roottable, rootname, want)
        ON c.confrelid = v.ref AND root.conrelid = v.roottable AND root.conname = v.rootname
     WHERE up.parent = 0 AND c.conname <> v.want;
  FOR r IN SELECT * FROM cloned_key_names LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', ${rel}, r.have, r.temp);
  END LOOP;
  FOR r IN SELECT * FROM cloned_key_names LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', ${rel}, r.temp, r.want);
  END LOOP;
  DROP TABLE cloned_key_names;
END`;
  return statement(`DO ${quoteLiteral(body)}`, `names of foreign keys cloned onto ${table}`);
}

/** The renames, for the tables among `tables` that hold clones of carried foreign keys. */
export function cloneNameFixes(
  tables: RelationRow[],
  index: CatalogIndex,
  included: Set<string>,
): SchemaStatement[] {
  const byOid = new Map(index.catalog.constraints.map((k) => [k.oid, k]));
  const rootOf = (k: ConstraintRow): ConstraintRow | undefined => {
    let current: ConstraintRow | undefined = k;
    for (let hops = 0; current && current.parentOid !== '0' && hops < 100; hops++)
      current = byOid.get(current.parentOid);
    return current;
  };
  const name = (oid: string) => {
    const r = index.relations.get(oid);
    return r && included.has(r.oid) ? qualified(r.schema, r.name) : undefined;
  };
  const out: SchemaStatement[] = [];
  for (const r of tables) {
    const clones: CloneName[] = [];
    for (const k of index.constraints.get(r.oid) ?? []) {
      if (k.contype !== 'f' || k.parentOid === '0') continue;
      const root = rootOf(k);
      const references = name(k.refRel);
      const rootTable = root && name(root.rel);
      if (!root || !references || !rootTable) continue;
      clones.push({ references, rootTable, rootName: root.name, want: k.name });
    }
    if (clones.length > 0) out.push(renameBlock(qualified(r.schema, r.name), clones));
  }
  return out;
}
