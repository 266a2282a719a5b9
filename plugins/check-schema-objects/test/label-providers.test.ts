import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConformanceServers } from '@pgshift/conformance';
import type { CheckResult } from '@pgshift/plugin-api';
import { regressionDatabase } from '@pgshift/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaObjectsChecker } from '../src/check.js';

/*
 * PostgreSQL's test label provider, dummy_seclabel, comes with its source tree, not with any
 * package: this runs on the regression database's installation when its lib/ holds it.
 */
const binaries = regressionDatabase(15).found?.binaries;
const missing = !binaries
  ? regressionDatabase(15).missing
  : existsSync(join(binaries.lib, 'dummy_seclabel.so'))
    ? undefined
    : `no dummy_seclabel.so in ${binaries.lib} (PostgreSQL's test label provider)`;

const checker = new SchemaObjectsChecker();
const servers = new ConformanceServers(15);
afterAll(() => servers.stopAll());

describe.skipIf(missing)(
  `security label providers on the target${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const withProvider = {
      major: 15,
      ...(binaries ? { binaries } : {}),
      settings: { shared_preload_libraries: 'dummy_seclabel' },
    };

    async function libraries(targetHasProvider: boolean): Promise<CheckResult> {
      const source = await servers.server('source', withProvider);
      const target = await servers.server(
        targetHasProvider ? 'target-with' : 'target-without',
        targetHasProvider ? withProvider : { major: 15, ...(binaries ? { binaries } : {}) },
      );
      await servers.database(
        source,
        'labelled',
        `CREATE TABLE t (id int); SECURITY LABEL FOR dummy ON TABLE t IS 'secret'; SECURITY LABEL FOR dummy ON COLUMN t.id IS 'classified'`,
      );
      const ctx = await servers.checkContext({ source, target, databases: ['labelled'] });
      const found = [await checker.run(ctx)].flat().find((r) => r.id === 'target.function-libraries');
      expect(found).toBeDefined();
      return found as CheckResult;
    }

    it('fails, naming the provider, where the target has not loaded it', async () => {
      const result = await libraries(false);
      expect(result.status).toBe('failed');
      expect(result.message).toContain('dummy (2 labels in labelled)');
      expect(result.remedy).toContain('shared_preload_libraries');
    });

    it('passes where the target has loaded it', async () => {
      expect((await libraries(true)).status).toBe('pass');
    });
  },
);
