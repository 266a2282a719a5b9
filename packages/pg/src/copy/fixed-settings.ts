import type pg from 'pg';

/**
 * Session settings under which every value's text is the same on both servers, whatever their
 * configuration: COPY text written by the source is read back by the target under the same rules,
 * and verify checksums row text computed on each server.
 *
 * extra_float_digits = 3 makes PostgreSQL < 12 print floats with 17 significant digits (exact
 * round trip; its default of 0 loses precision) and 12+ print the shortest exact form. The texts
 * differ between the two families but both parse back to the identical value, which is what COPY
 * needs; verify compares floats by their binary form instead (see ColumnInfo.binary).
 */
export const FIXED_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '3'],
  ['TimeZone', 'UTC'],
  ['bytea_output', 'hex'],
  ['client_encoding', 'UTF8'],
  ['standard_conforming_strings', 'on'],
];

export function fixedSettingsSql(): string {
  return FIXED_SETTINGS.map(([name, value]) => `SET ${name} = '${value}'`).join('; ');
}

export async function applyFixedSettings(client: pg.Client): Promise<void> {
  await client.query(fixedSettingsSql());
}
