import { ProgressMetrics, startMetricsServer } from '@pgshift/kernel';
import { describe, expect, it } from 'vitest';

describe('Prometheus metrics from progress events', () => {
  it('serves copy, lag, stage, transaction and error metrics over HTTP, then closes', async () => {
    const metrics = new ProgressMetrics({ task: 'shop-move' });
    const server = await startMetricsServer(metrics, { port: 0 });
    try {
      metrics.emit({ type: 'stage', stage: 'full-copy', state: 'started', database: 'shop' });
      metrics.emit({
        type: 'table-progress',
        database: 'shop',
        table: '"public"."orders"',
        rows: 1234,
        bytes: 56789,
        done: true,
      });
      metrics.emit({
        type: 'copy-progress',
        database: 'shop',
        rows: 1234,
        bytes: 56789,
        totalBytes: 99999,
        tablesDone: 1,
        tablesTotal: 3,
      });
      const lag = { type: 'lag', database: 'shop', appliedLsn: '0/1', sourceLsn: '0/2' } as const;
      metrics.emit({ ...lag, lagBytes: '4096', lagSeconds: 2.5, applyRate: 12.5, transactionsApplied: 10 });
      metrics.emit({ ...lag, lagBytes: '0', lagSeconds: 0, applyRate: 3, transactionsApplied: 15 });
      // A new follower run counts from zero again: the counter keeps growing.
      metrics.emit({ ...lag, lagBytes: '0', lagSeconds: 0, applyRate: 3, transactionsApplied: 4 });
      metrics.emit({ type: 'stage', stage: 'verifying', state: 'failed' });

      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      const has = (line: string) => expect(text.split('\n')).toContain(line);
      has(
        'pgshift_table_rows_copied{database="shop",table="\\"public\\".\\"orders\\"",task="shop-move"} 1234',
      );
      has(
        'pgshift_table_bytes_copied{database="shop",table="\\"public\\".\\"orders\\"",task="shop-move"} 56789',
      );
      has('pgshift_table_copy_done{database="shop",table="\\"public\\".\\"orders\\"",task="shop-move"} 1');
      has('pgshift_copy_tables_total{database="shop",task="shop-move"} 3');
      has('pgshift_copy_total_bytes_estimate{database="shop",task="shop-move"} 99999');
      has('pgshift_lag_bytes{database="shop",task="shop-move"} 0');
      has('pgshift_apply_rate_transactions_per_second{database="shop",task="shop-move"} 3');
      has('pgshift_transactions_applied_total{database="shop",task="shop-move"} 19');
      has('pgshift_stage{stage="full-copy",task="shop-move"} 1');
      has('pgshift_stage{stage="syncing",task="shop-move"} 0');
      has('pgshift_stage_running{stage="full-copy",database="shop",task="shop-move"} 1');
      has('pgshift_errors_total{stage="verifying",task="shop-move"} 1');
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server.close();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
