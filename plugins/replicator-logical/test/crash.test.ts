import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareLsn } from '@pgshift/pg';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogicalReplicator } from '../src/index.js';
import { startFollowChild } from './child.js';
import {
  appliedPosition,
  type ContextSpec,
  copySnapshot,
  createDatabase,
  currentWalLsn,
  exec,
  fingerprint,
  makeContext,
  rowDiff,
  sleep,
  watchAcknowledgements,
} from './helpers.js';
import { runWriter, SCHEMA, SEED, TABLES } from './workload.js';

let source: SandboxServer;
let target: SandboxServer;
let dir: string;

beforeAll(async () => {
  [source, target] = await Promise.all([startPostgres({ major: 17 }), startPostgres({ major: 17 })]);
  dir = mkdtempSync(join(tmpdir(), 'pgshift-crash-'));
});

afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('follow killed with SIGKILL mid-stream', () => {
  it('resumes in a new process with a target identical to the source, never acknowledging past the applied position', async () => {
    const database = 'crash';
    const src = source.connection();
    const dst = target.connection();
    await createDatabase(src, database);
    await createDatabase(dst, database);
    await exec(src, database, SCHEMA + SEED);
    await exec(dst, database, SCHEMA);
    const spec: ContextSpec & { drainFile: string } = {
      source: src,
      target: dst,
      database,
      format: 'pgoutput',
      slotName: 's_crash',
      sourceMajor: 17,
      tables: TABLES,
      options: { groupMaxMs: 100 },
      drainFile: join(dir, 'drain-to'),
    };
    const ctx = makeContext(spec);
    const replicator = new LogicalReplicator(spec.options);
    await replicator.prepare(ctx);
    const slot = await replicator.createSlot(ctx);
    await copySnapshot(src, dst, database, slot.snapshot, TABLES);
    await slot.release();
    await replicator.initPosition(ctx, slot.consistentPoint);

    // Throughout: the slot's confirmed position never passes the target's durable position.
    const acks = watchAcknowledgements(source, target, database, 's_crash');
    const writing = runWriter(src, database, 0, 260, true);

    const appliedNow = () => appliedPosition(target, database, 's_crash');
    for (let round = 0; round < 2; round++) {
      const child = startFollowChild(spec);
      const before = await appliedNow();
      // Kill once it has committed at least one group, while the writer is still going.
      while (compareLsn(await appliedNow(), before) <= 0) {
        if (child.process.exitCode !== null) throw new Error(child.output.join('\n'));
        await sleep(50);
      }
      await sleep(300 + round * 400);
      child.process.kill('SIGKILL');
      await child.exited;
    }
    await writing;
    writeFileSync(spec.drainFile, await currentWalLsn(src, database));
    const last = startFollowChild(spec);
    expect(await last.exited, last.output.join('\n')).toBe(0);
    const { checks, violations } = await acks.stop();

    for (const table of TABLES) {
      const [a, b] = [await fingerprint(src, database, table), await fingerprint(dst, database, table)];
      expect(b, a === b ? table.name : await rowDiff(src, dst, database, table)).toBe(a);
    }
    expect(checks).toBeGreaterThan(10);
    expect(violations).toBe(0);
    await replicator.cleanup(ctx);
  }, 240_000);
});
