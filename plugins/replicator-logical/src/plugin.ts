import { Capability, CHECKER, definePlugin, PLUGIN_API_VERSION, REPLICATOR } from '@pgshift/plugin-api';
import { LogicalReplicator } from './logical-replicator.js';
import { DEFAULT_FOLLOW_OPTIONS, FOLLOW_OPTIONS_SCHEMA } from './options.js';
import { OutputFormatChecker } from './output-format-check.js';

export default definePlugin({
  meta: {
    name: 'replicator-logical',
    version: '0.1.0',
    kind: 'replicator',
    apiVersion: PLUGIN_API_VERSION,
    description:
      'Follows the source through a logical replication slot and applies its changes transactionally',
  },
  capabilities: [
    Capability.replicator.pgoutput,
    Capability.replicator.testDecoding,
    Capability.replicator.wal2json,
    Capability.replicator.resume,
  ],
  configSchema: FOLLOW_OPTIONS_SCHEMA,
  defaultOptions: { ...DEFAULT_FOLLOW_OPTIONS },
  register(registrar) {
    registrar.value(REPLICATOR, new LogicalReplicator(registrar.options));
    // Only the replicator knows which formats it reads: it checks the chosen plugin's output itself.
    registrar.value(CHECKER, new OutputFormatChecker());
  },
});
