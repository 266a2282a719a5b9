// TODO(console-data): the fields below come with the console-data branch (record.lagSeries,
// record.live.copy.tables, history entries' origin). Until then they are read from the record
// with guards, so this compiles and shows nothing before they exist; once merged, use the typed
// fields of TaskRecord and delete this file.
import type { TaskHistoryEntry, TaskRecord } from '@pgshift/tasks';

export interface LagPoint {
  at: string;
  lagSeconds?: number;
  lagBytes?: number;
  applyRate?: number;
}

export interface TableCopy {
  database?: string;
  table: string;
  rows: number;
  bytes: number;
  totalBytes?: number;
  done?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function lagSeriesOf(record: TaskRecord): LagPoint[] {
  const series: unknown = (record as { lagSeries?: unknown }).lagSeries;
  if (!Array.isArray(series)) return [];
  const points: LagPoint[] = [];
  for (const p of series) {
    if (!isObject(p) || typeof p.at !== 'string') continue;
    const lagSeconds = num(p.lagSeconds);
    const lagBytes = num(typeof p.lagBytes === 'string' ? Number(p.lagBytes) : p.lagBytes);
    const applyRate = num(p.applyRate);
    points.push({
      at: p.at,
      ...(lagSeconds === undefined ? {} : { lagSeconds }),
      ...(lagBytes === undefined ? {} : { lagBytes }),
      ...(applyRate === undefined ? {} : { applyRate }),
    });
  }
  return points;
}

export function tableCopiesOf(record: TaskRecord): TableCopy[] {
  const tables: unknown = (record.live?.copy as { tables?: unknown } | undefined)?.tables;
  const list = Array.isArray(tables) ? tables : isObject(tables) ? Object.values(tables) : [];
  const out: TableCopy[] = [];
  for (const t of list) {
    if (!isObject(t) || typeof t.table !== 'string') continue;
    const totalBytes = num(t.totalBytes);
    out.push({
      ...(typeof t.database === 'string' ? { database: t.database } : {}),
      table: t.table,
      rows: num(t.rows) ?? 0,
      bytes: num(t.bytes) ?? 0,
      ...(totalBytes === undefined ? {} : { totalBytes }),
      ...(t.done === true ? { done: true } : {}),
    });
  }
  return out;
}

export function originOf(entry: TaskHistoryEntry): string | undefined {
  const origin: unknown = (entry as { origin?: unknown }).origin;
  return typeof origin === 'string' ? origin : undefined;
}
