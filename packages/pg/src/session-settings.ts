import type pg from 'pg';

/**
 * The one owner of the session settings pgshift's sessions run under: copy (both sides), verify,
 * the replication stream's walsender and the apply session. Under them every value's text is the
 * same on both servers, whatever their configuration: COPY text written by the source is read back
 * by the target under the same rules, the stream's text is what the apply session reads, and
 * verify checksums row text computed on each server.
 *
 * - DateStyle ISO prints dates as YYYY-MM-DD whatever the order part says; YMD is the order in
 *   which ISO text reads back, so the output and the input rule agree.
 * - extra_float_digits = 3 makes PostgreSQL < 12 print floats with 17 significant digits (exact
 *   round trip; its default of 0 loses precision) and 12+ print the shortest exact form. The texts
 *   differ between the two families but both parse back to the identical value, which is what COPY
 *   and apply need; verify compares floats by their binary form instead (see ColumnInfo.binary).
 *
 * Every one of these exists on every major pgshift reads (9.3 and later).
 */
export const FIXED_SETTINGS: readonly SessionSetting[] = [
  { name: 'DateStyle', value: 'ISO, YMD' },
  { name: 'IntervalStyle', value: 'postgres' },
  { name: 'extra_float_digits', value: '3' },
  { name: 'TimeZone', value: 'UTC' },
  { name: 'bytea_output', value: 'hex' },
  { name: 'client_encoding', value: 'UTF8' },
  { name: 'standard_conforming_strings', value: 'on' },
];

export interface SessionSetting {
  readonly name: string;
  readonly value: string;
  /** The first server_version_num that knows the setting; absent: every supported major does. */
  readonly since?: number;
}

/** The settings a server of `versionNum` knows (all of them when the version is not given). */
function known(settings: readonly SessionSetting[], versionNum: number | undefined): SessionSetting[] {
  return settings.filter((s) => versionNum === undefined || s.since === undefined || versionNum >= s.since);
}

/**
 * The fixed settings, then `extra` (a caller's own, such as the apply session's
 * synchronous_commit), as one string of SET statements for the simple query protocol. Settings a
 * server of `versionNum` does not know are left out.
 */
export function fixedSettingsSql(extra: readonly SessionSetting[] = [], versionNum?: number): string {
  return known([...FIXED_SETTINGS, ...extra], versionNum)
    .map(({ name, value }) => `SET ${name} = '${value}'`)
    .join('; ');
}

/**
 * The fixed settings as a startup packet's `options` (`-c name=value ...`), for sessions that run
 * no SQL before they work: the walsender of a replication stream, whose output functions print the
 * values. List values lose their spaces (`ISO,YMD`): servers before 9.6 cannot escape a space there.
 */
export function fixedSettingsOptions(): string {
  return FIXED_SETTINGS.map(({ name, value }) => `-c ${name}=${value.replaceAll(' ', '')}`).join(' ');
}

export async function applyFixedSettings(client: pg.Client): Promise<void> {
  await client.query(fixedSettingsSql());
}
