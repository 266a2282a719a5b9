import { accessMethodKind } from './access-method.js';
import { castKind } from './cast.js';
import { conversionKind } from './conversion.js';
import { languageKind } from './language.js';
import type { AnyObjectKind } from './object-kind.js';
import { operatorKind } from './operator.js';
import { operatorClassKind } from './operator-class.js';
import { operatorFamilyKind } from './operator-family.js';
import { transformKind } from './transform.js';

/**
 * Every object kind the schema copy handles beyond those catalog.ts reads itself, in no
 * particular order (the graph orders them). Adding a kind: write its file, list it here.
 */
export const OBJECT_KINDS: readonly AnyObjectKind[] = [
  castKind,
  languageKind,
  conversionKind,
  accessMethodKind,
  transformKind,
  operatorKind,
  operatorFamilyKind,
  operatorClassKind,
];

export function objectKind(prefix: string): AnyObjectKind | undefined {
  return OBJECT_KINDS.find((k) => k.prefix === prefix);
}

export type {
  AnyObjectKind,
  KindComparable,
  KindRow,
  KindRows,
  KindStatements,
  ObjectKind,
} from './object-kind.js';
