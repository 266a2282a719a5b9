import { Capability, definePlugin, LOADER, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { NativeLoader } from './native-loader.js';

// The loader's decisions, for tools and checks that need the same answer (bench, the schema
// check, tests): how a database's copy is scheduled and which DDL the schema copy runs.
export {
  type ClientOpener,
  type CopyDatabaseOptions,
  type CopyDatabaseResult,
  copyDatabase,
} from './copy/copy-database.js';
export { ctidPredicates, planChunks } from './copy/plan.js';
export { ProgressStore } from './copy/progress-store.js';
export { NativeLoader } from './native-loader.js';
export { buildPlan, planSchema } from './schema/plan.js';

export default definePlugin({
  meta: {
    name: 'loader-native',
    version: '0.1.0',
    kind: 'loader',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Native schema copy and parallel COPY under one snapshot, with resume.',
  },
  capabilities: [
    Capability.loader.schema,
    Capability.loader.data,
    Capability.loader.parallel,
    Capability.loader.resume,
  ],
  register(r) {
    r.value(LOADER, new NativeLoader());
  },
});
