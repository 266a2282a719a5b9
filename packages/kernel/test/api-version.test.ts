import { PluginApiVersionError } from '@pgshift/plugin-api';
import { describe, expect, it } from 'vitest';
import { checkApiVersion } from '../src/plugins/api-version.js';

describe('checkApiVersion', () => {
  it('accepts the same major with an older or equal minor', () => {
    expect(() => checkApiVersion('p', '1.0', '1.0')).not.toThrow();
    expect(() => checkApiVersion('p', '1.0', '1.3')).not.toThrow();
  });

  it('rejects a newer minor or another major, naming the plugin and both versions', () => {
    for (const theirs of ['1.4', '2.0', '0.9']) {
      const error = (() => {
        try {
          checkApiVersion('acme-check', theirs, '1.3');
        } catch (e) {
          return e;
        }
      })() as PluginApiVersionError;
      expect(error).toBeInstanceOf(PluginApiVersionError);
      expect(error.code).toBe('PGSHIFT_PLUGIN_API_VERSION');
      expect(error.message).toBe(
        `plugin acme-check was written for plugin API ${theirs}, but this pgshift supports 1.3`,
      );
    }
  });
});
