/*
 * SQL expressions that print a catalog object's name as DDL names it, schema-qualified (the
 * catalog reads run under an empty search_path), for the kinds that refer to other objects.
 */

const NAMED = {
  pg_proc: ['proname', 'pronamespace'],
  pg_opfamily: ['opfname', 'opfnamespace'],
  pg_opclass: ['opcname', 'opcnamespace'],
  pg_ts_parser: ['prsname', 'prsnamespace'],
  pg_ts_template: ['tmplname', 'tmplnamespace'],
  pg_ts_dict: ['dictname', 'dictnamespace'],
} as const;

/** `s.name` of the object `oid` of `catalog`, NULL for oid 0. */
export function nameSql(catalog: keyof typeof NAMED, oid: string): string {
  const [name, nsp] = NAMED[catalog];
  return `(SELECT pg_catalog.format('%I.%I', xn.nspname, x.${name}) FROM pg_catalog.${catalog} x
    JOIN pg_catalog.pg_namespace xn ON xn.oid = x.${nsp} WHERE x.oid = ${oid})`;
}

/** `s.f(identity arguments)` of the function `oid`, NULL for oid 0. */
export function functionSignatureSql(oid: string): string {
  return `(SELECT pg_catalog.format('%I.%I(%s)', xn.nspname, x.proname, pg_catalog.pg_get_function_identity_arguments(x.oid))
    FROM pg_catalog.pg_proc x JOIN pg_catalog.pg_namespace xn ON xn.oid = x.pronamespace WHERE x.oid = ${oid})`;
}

/** An operand type as operator signatures print it: NONE for a missing operand (oid 0). */
export function operandSql(typeOid: string): string {
  return `CASE WHEN ${typeOid} = 0 THEN 'NONE' ELSE pg_catalog.format_type(${typeOid}, NULL) END`;
}

/** `s.op` of the operator `oid` (an operator name is never quoted), NULL for oid 0. */
export function operatorNameSql(oid: string): string {
  return `(SELECT pg_catalog.format('%I.%s', xn.nspname, x.oprname) FROM pg_catalog.pg_operator x
    JOIN pg_catalog.pg_namespace xn ON xn.oid = x.oprnamespace WHERE x.oid = ${oid})`;
}

/** `s.op(left, right)` of the operator `oid`, NONE for a missing operand, NULL for oid 0. */
export function operatorSignatureSql(oid: string): string {
  return `(SELECT pg_catalog.format('%I.%s(%s, %s)', xn.nspname, x.oprname, ${operandSql('x.oprleft')}, ${operandSql('x.oprright')})
    FROM pg_catalog.pg_operator x JOIN pg_catalog.pg_namespace xn ON xn.oid = x.oprnamespace WHERE x.oid = ${oid})`;
}
