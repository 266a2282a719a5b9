/**
 * Child process: pgshift's loader copies one database (mode full) with `jobs` workers, called
 * through the Loader contract the orchestrator uses. Run by the full-copy harness when the CLI's
 * `run` command is not available; its own process so its memory is measured alone.
 */
import { LOADER, nullProgress, silentLogger } from '@pgshift/plugin-api';
import { handleFor, wholeDatabase } from './handles.js';
import { hostPlugin } from './plugin-host.js';
import { type ChildResult, type LoadSpec, RESULT_PREFIX } from './spec.js';

async function main(spec: LoadSpec): Promise<ChildResult> {
  const loader = await hostPlugin(spec.loaderEntry, LOADER);
  const source = handleFor('source', spec.source);
  const target = handleFor('target', spec.target);
  const started = process.hrtime.bigint();
  const database = await wholeDatabase(source, spec.database);
  const ctx = {
    source,
    target,
    database,
    jobs: spec.jobs,
    options: {
      copyOwners: false,
      copyPrivileges: false,
      onLostSnapshot: 'fail' as const,
      splitTableBytes: spec.splitTableBytes,
      taskName: 'bench-full-copy',
    },
    progress: nullProgress,
    logger: silentLogger,
  };
  // Per-phase times say what dominates when pgshift is slower than a peer.
  const phases: Record<string, number> = {};
  let mark = started;
  const lap = (name: string) => {
    const now = process.hrtime.bigint();
    phases[name] = Math.round(Number(now - mark) / 1e7) / 100;
    mark = now;
  };
  await loader.preData(ctx);
  lap('preData');
  const summary = await loader.copyData(ctx);
  lap('copyData');
  await loader.postData(ctx);
  lap('postData');
  await loader.syncSequences(ctx);
  lap('syncSequences');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ok: true, seconds, detail: { phases, ...summary } };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
main(spec).then(
  (result) => {
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ok: false, seconds: 0, error: message })}\n`);
    process.exit(1);
  },
);
