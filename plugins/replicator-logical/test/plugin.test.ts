import { readFileSync } from 'node:fs';
import { instantiatePlugin, isPluginDefinition, REPLICATOR } from '@pgshift/plugin-api';
import { describe, expect, it } from 'vitest';
import plugin, { createSlotCommand, LogicalReplicator } from '../src/index.js';

describe('replicator-logical plugin', () => {
  it('is a discoverable replicator plugin that registers a Replicator', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.pgshift.plugin).toBe(true);
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: 'replicator-logical', kind: 'replicator' });
    const [replicator] = (await instantiatePlugin(plugin)).own(REPLICATOR);
    expect(replicator).toBeInstanceOf(LogicalReplicator);
    expect(replicator?.status()).toBeUndefined();
  });

  it('creates permanent slots with the snapshot syntax of the server version', () => {
    expect(createSlotCommand('s1', 'pgoutput', 'option-list')).toBe(
      `CREATE_REPLICATION_SLOT "s1" LOGICAL "pgoutput" (SNAPSHOT 'export')`,
    );
    expect(createSlotCommand('s1', 'test_decoding', 'keyword')).toBe(
      'CREATE_REPLICATION_SLOT "s1" LOGICAL "test_decoding" EXPORT_SNAPSHOT',
    );
  });
});
