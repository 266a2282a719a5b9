import type {
  CollationRow,
  ColumnRow,
  ConstraintRow,
  DefaultAclRow,
  DependencyRow,
  ExtensionMemberRow,
  ExtensionRow,
  FunctionRow,
  IndexRow,
  PolicyRow,
  RelationRow,
  RuleRow,
  SchemaRow,
  SequenceRow,
  StatisticsRow,
  TriggerRow,
  TypeInfoRow,
  TypeRow,
  UnsupportedRow,
} from './catalog-rows.js';
import type { KindRows } from './kinds/index.js';

/** What readCatalog (catalog.ts) returns: every row planSchema needs, by kind. */
export interface Catalog {
  versionNum: number;
  schemas: SchemaRow[];
  extensions: ExtensionRow[];
  collations: CollationRow[];
  types: TypeRow[];
  functions: FunctionRow[];
  sequences: SequenceRow[];
  relations: RelationRow[];
  columns: ColumnRow[];
  indexes: IndexRow[];
  constraints: ConstraintRow[];
  triggers: TriggerRow[];
  rules: RuleRow[];
  policies: PolicyRow[];
  statistics: StatisticsRow[];
  defaultAcls: DefaultAclRow[];
  /** Objects planSchema does not recreate, so callers can say so. */
  unsupported: UnsupportedRow[];
  dependencies: DependencyRow[];
  typeInfo: TypeInfoRow[];
  extensionMembers: ExtensionMemberRow[];
  /** Rows of every kind in kinds/, by the kind's prefix (absent where the server lacks it). */
  kinds: KindRows;
}
