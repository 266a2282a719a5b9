import { describe, expect, it } from 'vitest';
import { FIXED_SETTINGS, fixedSettingsOptions, fixedSettingsSql } from '../src/index.js';

describe('fixed session settings', () => {
  it('are one list, given as SET statements and as startup options', () => {
    expect(FIXED_SETTINGS.find((s) => s.name === 'DateStyle')?.value).toBe('ISO, YMD');
    const sql = fixedSettingsSql();
    expect(sql.split('; ')).toHaveLength(FIXED_SETTINGS.length);
    expect(sql).toContain("SET DateStyle = 'ISO, YMD'");
    const options = fixedSettingsOptions();
    expect(options).toContain('-c DateStyle=ISO,YMD');
    expect(options.split(' -c ')).toHaveLength(FIXED_SETTINGS.length);
  });

  it("add a caller's own settings, leaving out those the server's major does not know", () => {
    const extra = [
      { name: 'synchronous_commit', value: 'on' },
      { name: 'idle_in_transaction_session_timeout', value: '0', since: 90600 },
    ];
    expect(fixedSettingsSql(extra, 100000)).toMatch(
      /SET synchronous_commit = 'on'; SET idle_in_transaction_session_timeout = '0'$/,
    );
    expect(fixedSettingsSql(extra, 90500)).toMatch(/SET synchronous_commit = 'on'$/);
    expect(fixedSettingsSql(extra)).toContain('idle_in_transaction_session_timeout');
  });
});
