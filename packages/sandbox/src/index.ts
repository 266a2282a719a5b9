export {
  findBinaries,
  installedMajors,
  KNOWN_MAJORS,
  MissingBinariesError,
  systemBinaries,
  systemPostgresWith,
} from './binaries.js';
export type { Binaries } from './binaries-location.js';
export {
  type Browser,
  type BrowserContext,
  CHROMIUM_FLAGS,
  CHROMIUM_VARIABLE,
  chromiumExecutable,
  chromiumMissing,
  launchChromium,
  MissingChromiumError,
  type Page,
} from './chromium.js';
export { type ContainerServer, dockerAvailability, startContainerPostgres } from './containers.js';
export { FaultProxy } from './fault-proxy.js';
export { freePort } from './free-port.js';
export {
  type RegressionDatabase,
  regressionCacheDir,
  regressionDatabase,
  regressionVariable,
} from './regression-database.js';
export type { SandboxOptions } from './sandbox-options.js';
export { readHba, type SandboxConnection, SandboxServer } from './server.js';
export {
  binariesCacheDir,
  binariesVariable,
  SOURCE_BUILT_MAJORS,
  sourceBuiltBinaries,
} from './source-built.js';
export { type CertificatePair, makeTestCertificates, type TestCertificates } from './test-certificates.js';

import type { SandboxOptions } from './sandbox-options.js';
import { SandboxServer } from './server.js';

/** Starts a sandbox server. */
export function startPostgres(options: SandboxOptions): Promise<SandboxServer> {
  return SandboxServer.start(options);
}

/** Runs `body` with a fresh server and always stops it afterwards. */
export async function withPostgres<T>(
  options: SandboxOptions,
  body: (server: SandboxServer) => Promise<T>,
): Promise<T> {
  const server = await SandboxServer.start(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}
