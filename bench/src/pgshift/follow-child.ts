/**
 * Child process: pgshift's replicator, through the Replicator contract.
 *   prepare: publication, slot (its snapshot released at once: the target already holds the
 *            same data) and the apply position at the slot's consistent point; then it exits,
 *            so pgshift is not running while the backlog is made.
 *   follow:  streams from the apply position until everything up to `drainTo` is applied.
 */
import { nullProgress, REPLICATOR, type ReplicationContext, silentLogger } from '@pgshift/plugin-api';
import { handleFor } from './handles.js';
import { hostPlugin } from './plugin-host.js';
import { type ChildResult, type FollowSpec, RESULT_PREFIX } from './spec.js';

async function main(mode: string, spec: FollowSpec, timeoutSeconds: number): Promise<ChildResult> {
  const replicator = await hostPlugin(spec.replicatorEntry, REPLICATOR);
  const ctx: ReplicationContext = {
    source: handleFor('source', spec.source),
    target: handleFor('target', spec.target),
    database: { name: spec.database, whole: true, tables: spec.tables },
    decoder: { outputPlugin: 'pgoutput', format: 'pgoutput', publication: true },
    slotSnapshotSyntax: 'option-list',
    slotName: spec.slotName,
    publicationName: spec.publicationName,
    taskName: 'bench-apply-rate',
    progress: nullProgress,
    logger: silentLogger,
  };
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  if (mode === 'prepare') {
    await replicator.prepare(ctx);
    const slot = await replicator.createSlot(ctx);
    await slot.release();
    await replicator.initPosition(ctx, slot.consistentPoint);
    return { ok: true, seconds: elapsed(), detail: { consistentPoint: slot.consistentPoint } };
  }
  if (mode === 'cleanup') {
    await replicator.cleanup(ctx);
    return { ok: true, seconds: elapsed() };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutSeconds * 1000);
  try {
    await replicator.follow(ctx, { signal: controller.signal, drainTo: () => spec.drainTo });
  } finally {
    clearTimeout(timer);
  }
  const seconds = elapsed();
  if (controller.signal.aborted)
    return { ok: false, seconds, error: `not drained within ${timeoutSeconds} s` };
  const status = replicator.status();
  return {
    ok: true,
    seconds,
    detail: {
      appliedPosition: await replicator.appliedPosition(ctx),
      ...(status ? { transactionsApplied: status.transactionsApplied, appliedLsn: status.appliedLsn } : {}),
    },
  };
}

const [mode = 'follow', raw = '{}', timeout = '1800'] = process.argv.slice(2);
main(mode, JSON.parse(raw) as FollowSpec, Number(timeout)).then(
  (result) => {
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(result.ok ? 0 : 1);
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ok: false, seconds: 0, error: message })}\n`);
    process.exit(1);
  },
);
