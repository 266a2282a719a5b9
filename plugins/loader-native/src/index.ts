import { Capability, definePlugin, LOADER, PLUGIN_API_VERSION } from '@pgshift/plugin-api';
import { NativeLoader } from './native-loader.js';

export { NativeLoader } from './native-loader.js';

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
