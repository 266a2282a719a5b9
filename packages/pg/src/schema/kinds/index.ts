import { accessMethodKind } from './access-method.js';
import { castKind } from './cast.js';
import { conversionKind } from './conversion.js';
import { eventTriggerKind } from './event-trigger.js';
import { foreignDataWrapperKind } from './foreign-data-wrapper.js';
import { foreignServerKind } from './foreign-server.js';
import { languageKind } from './language.js';
import { largeObjectKind } from './large-object.js';
import type { AnyObjectKind } from './object-kind.js';
import { operatorKind } from './operator.js';
import { operatorClassKind } from './operator-class.js';
import { operatorFamilyKind } from './operator-family.js';
import { publicationKind } from './publication.js';
import { securityLabelKind } from './security-label.js';
import { textSearchConfigurationKind } from './text-search-configuration.js';
import { textSearchDictionaryKind } from './text-search-dictionary.js';
import { textSearchParserKind } from './text-search-parser.js';
import { textSearchTemplateKind } from './text-search-template.js';
import { transformKind } from './transform.js';
import { userMappingKind } from './user-mapping.js';

/**
 * Every object kind the schema copy handles beyond those catalog-queries.ts reads, in no
 * particular order (the graph orders them). Adding a kind: write its file, list it here.
 */
export const OBJECT_KINDS: readonly AnyObjectKind[] = [
  castKind,
  largeObjectKind,
  publicationKind,
  eventTriggerKind,
  foreignDataWrapperKind,
  foreignServerKind,
  userMappingKind,
  languageKind,
  conversionKind,
  accessMethodKind,
  transformKind,
  operatorKind,
  operatorFamilyKind,
  operatorClassKind,
  textSearchParserKind,
  textSearchTemplateKind,
  textSearchDictionaryKind,
  textSearchConfigurationKind,
  // Last: a label names an object every other kind has created by then.
  securityLabelKind,
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
export { optionsTake } from './object-kind.js';
