import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApplyRateBench } from '../src/apply-rate.js';
import type { ApplyRateResult } from '../src/apply-rate-result.js';
import { runApplyScaleBench } from '../src/apply-scale.js';
import { buildDataset } from '../src/dataset.js';
import { peerTools } from '../src/debian.js';
import { differences, fingerprint } from '../src/fingerprint.js';
import { type FullCopyTool, runFullCopyBench } from '../src/full-copy.js';
import { ServerSet } from '../src/servers.js';
import { soak } from '../src/soak.js';

// Smoke runs of the benchmark harnesses at a very small size: they prove the harness works and
// that every tool's copy matched the source. They never look at the times.
const tools = peerTools(false);
const quiet = () => {};

function peersPresent(): FullCopyTool[] {
  const present: FullCopyTool[] = [];
  if (tools.pgDump && tools.pgRestore) present.push('pg_dump');
  else console.warn(`skipping the pg_dump step: ${tools.missing.join('; ')}`);
  if (tools.pgcopydb) present.push('pgcopydb');
  else console.warn(`skipping the pgcopydb step: ${tools.missing.join('; ')}`);
  return present;
}

describe('fingerprint', () => {
  const servers = new ServerSet(false);
  let db: Awaited<ReturnType<ServerSet['start']>>;
  beforeAll(async () => {
    db = await servers.start('fingerprint');
    await buildDataset(db, 'a', 0.001);
  });
  afterAll(() => servers.stopAll());

  it('finds a changed value, a missing row and a missing index that a copy could get wrong', async () => {
    const source = await fingerprint(db, 'a');
    await db.query('CREATE DATABASE b TEMPLATE a');
    expect(differences(source, await fingerprint(db, 'b'))).toEqual([]);
    await db.query("UPDATE shop.wide_orders SET note = note || ' ' WHERE id = 7", undefined, 'b');
    await db.query(
      'DELETE FROM public.audit_log WHERE ctid = (SELECT min(ctid) FROM public.audit_log)',
      undefined,
      'b',
    );
    await db.query('DROP INDEX public.narrow_events_kind_at_idx', undefined, 'b');
    const found = differences(source, await fingerprint(db, 'b'));
    expect(found).toContain('shop.wide_orders: same row count (1100) but different content');
    expect(found.some((d) => d.startsWith('public.audit_log: 499 rows on the target'))).toBe(true);
    expect(found.some((d) => d.startsWith('indexes:'))).toBe(true);
  });
});

describe('full-copy harness', () => {
  it('copies a 5 MB dataset with every available tool and each copy matches the source', async () => {
    const copyTools: FullCopyTool[] = ['pgshift', ...peersPresent()];
    const result = await runFullCopyBench({
      sizeGb: 0.005,
      dataset: 'shop',
      jobs: 2,
      rounds: 1,
      tools: copyTools,
      route: 'auto',
      dumpCompress: 0,
      splitTableBytes: 1024 * 1024,
      install: false,
      writeDoc: false,
      durable: false,
      log: (line) => console.error(line),
    });
    expect(result.dataset.databaseBytes).toBeGreaterThan(1024 * 1024);
    expect(result.sourceRows).toBeGreaterThan(40_000);
    expect(result.results.map((r) => r.tool)).toHaveLength(copyTools.length);
    for (const r of result.results) {
      if (r.status === 'unavailable') {
        // Only pgshift may be absent here (its loader is written in parallel); say why.
        expect(r.tool).toBe('pgshift');
        console.warn(`pgshift step not run: ${r.notes.join('; ')}`);
        continue;
      }
      expect({ tool: r.tool, status: r.status, differences: r.differences, notes: r.notes }).toMatchObject({
        status: 'ok',
        differences: [],
      });
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.peakRssBytes).toBeGreaterThan(0);
    }
  });

  it('builds the one-table dataset, and pgshift with its default options copies it exactly', async () => {
    const result = await runFullCopyBench({
      sizeGb: 0.01,
      dataset: 'one-table',
      jobs: 2,
      rounds: 1,
      tools: ['pgshift'],
      route: 'cli',
      dumpCompress: 0,
      splitTableBytes: undefined,
      install: false,
      writeDoc: false,
      durable: false,
      log: (line) => console.error(line),
    });
    expect(result.dataset.description.join()).toMatch(/public\.accounts/);
    expect(result.sourceRows).toBeGreaterThan(50_000);
    expect(result.results[0]).toMatchObject({ tool: 'pgshift', status: 'ok', differences: [] });
  });
});

describe('apply-rate harness', () => {
  it.skipIf(!tools.pgbench)(
    `catches up two 200-transaction backlogs natively and with pgshift, both matching the source${tools.pgbench ? '' : ` (skipped: ${tools.missing.join('; ')})`}`,
    async () => {
      const result: ApplyRateResult = await runApplyRateBench({
        transactions: 200,
        scale: 1,
        clients: 2,
        major: 15,
        rounds: 2,
        timeoutSeconds: 120,
        install: false,
        writeDoc: false,
        durable: false,
        log: quiet,
      });
      expect(result.backlogs.map((b) => b.transactions)).toEqual([200, 200]);
      const native = result.results.find((r) => r.tool === 'native subscription');
      expect(native).toMatchObject({ status: 'ok', differences: [] });
      expect(native?.roundSeconds).toHaveLength(2);
      expect(native?.rate).toBeGreaterThan(0);
      const pgshift = result.results.find((r) => r.tool === 'pgshift');
      if (pgshift?.status === 'unavailable') {
        console.warn(`pgshift step not run: ${pgshift.notes.join('; ')}`);
        return;
      }
      expect(pgshift).toMatchObject({ status: 'ok', differences: [] });
      expect(pgshift?.rate).toBeGreaterThan(0);
      expect(pgshift?.peakRssBytes).toBeGreaterThan(0);
    },
  );
});

describe('apply-scale harness', () => {
  it.skipIf(!tools.pgbench)(
    `catches up each workload through the CLI, natively and with pgshift (one and two apply sessions), all matching the source${tools.pgbench ? '' : ` (skipped: ${tools.missing.join('; ')})`}`,
    async () => {
      const result = await runApplyScaleBench({
        transactions: 300,
        scale: 1,
        clients: 2,
        bulkRows: 2000,
        rounds: 1,
        bulkRounds: 1,
        major: 15,
        timeoutSeconds: 180,
        install: false,
        writeDoc: false,
        applySessions: 2,
        durable: false,
        log: quiet,
      });
      expect(result.results.map((w) => w.workload.name)).toEqual([
        'pgbench -N',
        'pgbench TPC-B',
        '1M-row transaction',
      ]);
      for (const workload of result.results) {
        expect(workload.results.map((r) => r.tool)).toEqual([
          'native subscription',
          'pgshift',
          'pgshift, applySessions 2',
        ]);
        for (const consumer of workload.results) {
          expect(consumer, `${workload.workload.name}: ${consumer.notes.join('; ')}`).toMatchObject({
            status: 'ok',
            differences: [],
          });
          if (consumer.tool.startsWith('pgshift')) expect(consumer.peakRssBytes).toBeGreaterThan(0);
        }
      }
    },
    300_000,
  );
});

describe('soak harness', () => {
  it('rides out each kind of fault once with pgshift and the native subscription, pgshift ending exact', async () => {
    const result = await soak({
      minutes: 10,
      faults: 5,
      intervalSeconds: 1,
      writeDoc: false,
      durable: false,
      log: quiet,
    });
    expect(result.faults.map((f) => f.fault)).toEqual([
      'target restart',
      'source restart',
      'walsender killed',
      'target sockets cut',
      'replication socket cut',
    ]);
    expect(result.faults.filter((f) => f.pgshift === undefined)).toEqual([]);
    expect(result.pgshiftExit).toBe(0);
    expect(result.pgshiftExact).toEqual([]);
  }, 600_000);
});
