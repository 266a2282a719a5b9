import { ConformanceServers, describeChecker } from '@pgshift/conformance';
import type { CheckResult } from '@pgshift/plugin-api';
import { describe, expect, it } from 'vitest';
import { DiskSpaceChecker } from '../src/check.js';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    pass: async (s) => {
      const source = await s.server('source');
      return s.context({ source, target: source, options: { targetFreeBytes: 10 * 1024 ** 4 } });
    },
    // The target's free space, as configured, is far less than the source database.
    warn: async (s) => {
      const source = await s.server('source');
      return s.context({ source, target: source, options: { targetFreeBytes: 1024 } });
    },
  },
  verify: { warn: (results) => expect(results[0]?.message).toMatch(/the target has only 1\.0 kB free/) },
});

describe('check-disk-space without a configured free space', () => {
  it('reports a Warning that says it could not determine the free space, with the size to look for', async () => {
    const servers = new ConformanceServers(17);
    try {
      const source = await servers.server('source');
      const ctx = await servers.checkContext({ source, target: source });
      const result = (await new DiskSpaceChecker({ headroom: 1.2 }).run(ctx)) as CheckResult;
      expect(result.status).toBe('warning');
      expect(result.message).toMatch(/could not determine the target's free disk space/);
      expect(result.remedy).toMatch(/df -h \//);
    } finally {
      await servers.stopAll();
    }
  });
});
