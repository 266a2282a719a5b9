import { type ChunkSpec, hasFeature, keyRangePredicates, keySplitPoints, type TableInfo } from '@pgshift/pg';
import type pg from 'pg';

export interface PlanOptions {
  splitTableBytes: number;
  /** Source server_version_num: TID range scans exist from 14 on. */
  sourceVersionNum: number;
}

/** Upper bound of chunks per table, so a huge table with a tiny split size stays manageable. */
const MAX_CHUNKS = 256;

/**
 * The work plan: every table as one chunk, or split into ranges when larger than splitTableBytes,
 * largest tables first so the long copies start early and several workers share them.
 *
 * How a large table is split: on 14+ by ctid page ranges (a TID range scan reads only those pages).
 * Before 14 a ctid condition is a filter over a full sequential scan, so each chunk would read the
 * whole table; there the primary (or unique not-null) key is split instead, at points sampled with
 * TABLESAMPLE, and each chunk is an index range. A table with neither is copied whole by one
 * worker on < 14: one sequential scan beats N.
 */
export async function planChunks(
  source: pg.Client,
  tables: TableInfo[],
  options: PlanOptions,
): Promise<ChunkSpec[]> {
  const chunks: ChunkSpec[] = [];
  const ordered = [...tables].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
  for (const table of ordered) {
    const wanted = Math.min(MAX_CHUNKS, Math.ceil(table.bytes / Math.max(1, options.splitTableBytes)));
    if (wanted < 2) {
      chunks.push({ table: table.key, chunk: 0, kind: 'whole', estimatedBytes: table.bytes });
      continue;
    }
    if (hasFeature(options.sourceVersionNum, 'tidRangeScans') && table.pages >= 2) {
      const parts = Math.min(wanted, table.pages);
      ctidPredicates(table.pages, parts).forEach((predicate, i) => {
        chunks.push({
          table: table.key,
          chunk: i,
          predicate,
          kind: 'ctid',
          estimatedBytes: table.bytes / parts,
        });
      });
      continue;
    }
    if (table.keyColumns.length > 0) {
      const rows = Math.max(table.rowEstimate, 1);
      const sampleRows = wanted * 200;
      const samplePercent = table.rowEstimate > 0 ? Math.min(100, (100 * sampleRows) / rows) : 100;
      const points = await keySplitPoints(source, table, wanted, {
        collateC: false,
        samplePercent,
        tableSample: hasFeature(options.sourceVersionNum, 'tableSample'),
      });
      const predicates = keyRangePredicates(table, points, false);
      predicates.forEach((predicate, i) => {
        chunks.push({
          table: table.key,
          chunk: i,
          predicate,
          kind: 'key',
          estimatedBytes: table.bytes / predicates.length,
        });
      });
      continue;
    }
    chunks.push({ table: table.key, chunk: 0, kind: 'whole', estimatedBytes: table.bytes });
  }
  return chunks;
}

/** Page ranges covering the heap; the last is open-ended so rows added after sizing are not missed. */
export function ctidPredicates(pages: number, parts: number): string[] {
  const step = Math.ceil(pages / parts);
  const predicates: string[] = [];
  for (let start = 0; start < pages; start += step) {
    const lower = start > 0 ? `ctid >= '(${start},0)'::tid` : undefined;
    const upper = start + step < pages ? `ctid < '(${start + step},0)'::tid` : undefined;
    predicates.push([lower, upper].filter(Boolean).join(' AND ') || 'true');
  }
  return predicates;
}
