import type { Catalog } from './catalog-contents.js';
import type {
  ColumnRow,
  ConstraintRow,
  IndexRow,
  PolicyRow,
  RelationRow,
  RuleRow,
  SequenceRow,
  StatisticsRow,
  TriggerRow,
} from './catalog-rows.js';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Lookups over a Catalog by relation oid. */
export class CatalogIndex {
  readonly relations: Map<string, RelationRow>;
  readonly sequences: Map<string, SequenceRow>;
  readonly columns: Map<string, ColumnRow[]>;
  readonly indexes: Map<string, IndexRow[]>;
  readonly constraints: Map<string, ConstraintRow[]>;
  readonly triggers: Map<string, TriggerRow[]>;
  readonly rules: Map<string, RuleRow[]>;
  readonly policies: Map<string, PolicyRow[]>;
  readonly statistics: Map<string, StatisticsRow[]>;
  /** `${tableOid}:${column}` -> identity sequence */
  readonly identity = new Map<string, SequenceRow>();
  /** table oid -> sequences OWNED BY one of its columns (not identity) */
  readonly ownedSequences = new Map<string, SequenceRow[]>();
  /** parent oid -> partitions */
  readonly partitions: Map<string, RelationRow[]>;

  /**
   * `splitChecks`: CHECK constraints created after the data rather than with their table (the
   * graph's, see Graph.splitChecks): each calls a function that needs its table.
   */
  constructor(
    readonly catalog: Catalog,
    readonly splitChecks: ReadonlySet<string> = new Set(),
  ) {
    this.relations = new Map(catalog.relations.map((r) => [r.oid, r]));
    this.sequences = new Map(catalog.sequences.map((s) => [s.oid, s]));
    this.columns = groupBy(catalog.columns, (c) => c.rel);
    this.indexes = groupBy(catalog.indexes, (i) => i.rel);
    this.constraints = groupBy(catalog.constraints, (c) => c.rel);
    this.triggers = groupBy(catalog.triggers, (t) => t.rel);
    this.rules = groupBy(catalog.rules, (r) => r.rel);
    this.policies = groupBy(catalog.policies, (p) => p.rel);
    this.statistics = groupBy(catalog.statistics, (x) => x.rel);
    for (const s of catalog.sequences) {
      if (!s.ownedBy) continue;
      if (s.ownedBy.identity) this.identity.set(`${s.ownedBy.tableOid}:${s.ownedBy.column}`, s);
      else {
        const list = this.ownedSequences.get(s.ownedBy.tableOid) ?? [];
        list.push(s);
        this.ownedSequences.set(s.ownedBy.tableOid, list);
      }
    }
    this.partitions = new Map();
    for (const r of catalog.relations) {
      if (!r.isPartition) continue;
      for (const p of r.parents ?? []) {
        const list = this.partitions.get(p.oid) ?? [];
        list.push(r);
        this.partitions.set(p.oid, list);
      }
    }
  }

  /** Number of ancestors (0 for a table without parents), for ordering index attachments. */
  depth(oid: string): number {
    let depth = 0;
    let current = this.relations.get(oid);
    while (current?.parents?.[0] && depth < 100) {
      depth++;
      current = this.relations.get(current.parents[0].oid);
    }
    return depth;
  }
}
