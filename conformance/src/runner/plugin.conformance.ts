import { PluginCatalog } from '@pgshift/kernel';
import { CHECKER, type PluginDefinition } from '@pgshift/plugin-api';
import { describe, it } from 'vitest';
import { describeCheckerMeta, describeCheckerUnreachable } from '../checker/index.js';
import { describeLoader } from '../loader/index.js';
import { describeReplicator } from '../replicator/index.js';
import { describeVersionPolicy } from '../version-policy/index.js';
import { conformanceMajors, RUNNER_ENV } from './env.js';

// The suite file `pgshift conformance` runs: it loads the plugin the way the kernel does and
// describes the suite of its kind. Not a test of this repository (its name ends in .conformance.ts).
const ref = process.env[RUNNER_ENV.ref];
if (!ref) throw new Error(`${RUNNER_ENV.ref} is not set; run this file through pgshift conformance`);
const found = await new PluginCatalog(process.env[RUNNER_ENV.baseDir] ?? process.cwd()).resolve(ref);
const plugin: PluginDefinition = found.definition;
const options = { majors: conformanceMajors() };
const needsArrangements = (kind: string, what: string) =>
  it.skip(
    `${kind} [server tests] need the author's ${what}: run the package's own conformance test (npm test), which passes them to the suite`,
  );

describe(`${plugin.meta.name} (${plugin.meta.kind})`, () => {
  switch (plugin.meta.kind) {
    case 'loader':
      describeLoader(plugin, options);
      break;
    case 'replicator':
      describeReplicator(plugin, options);
      break;
    case 'version-policy':
      describeVersionPolicy(plugin, options);
      break;
    case 'checker': {
      const subject = { plugin, arrange: { pass: async () => ({}) } };
      describeCheckerMeta(subject, options);
      describeCheckerUnreachable(subject, options);
      needsArrangements('checker', 'pass/warn/fail arrangements');
      void CHECKER;
      break;
    }
    default:
      needsArrangements(plugin.meta.kind, 'valid and unreachable configs');
  }
});
