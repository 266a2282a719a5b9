import type { SandboxServer } from '@pgshift/sandbox';
import { createDatasetDatabase, type DatasetSummary, sealDataset } from './dataset.js';

/** What `--dataset one-table` holds, for the report. */
export const ONE_TABLE_DESCRIPTION = [
  'public.accounts (bigint primary key, int, int, 84-character text): one large table with a key, shaped like pgbench_accounts',
];

/** Heap bytes per row of public.accounts, measured (tuple header, 3 numbers, 84-char text). */
const BYTES_PER_ROW = 146;

/**
 * The case where splitting a table matters: one table holding nearly all the data, so a copy
 * that does not split it runs on one job whatever `jobs` says.
 */
export async function buildOneTableDataset(
  source: SandboxServer,
  database: string,
  sizeGb: number,
): Promise<DatasetSummary> {
  const started = Date.now();
  await createDatasetDatabase(source, database);
  await source.query(
    'CREATE TABLE public.accounts (id bigint NOT NULL, branch int NOT NULL, balance int NOT NULL, filler text NOT NULL)',
    undefined,
    database,
  );
  const rows = Math.max(1000, Math.round((sizeGb * 2 ** 30) / BYTES_PER_ROW));
  const step = 1_000_000;
  for (let from = 1; from <= rows; from += step) {
    await source.query(
      `INSERT INTO public.accounts
       SELECT g, 1 + g % 1000, (g * 7919) % 100000 - 50000, rpad(md5(g::text), 84, '-')
         FROM generate_series($1::bigint, $2::bigint) g`,
      [from, Math.min(rows, from + step - 1)],
      database,
    );
  }
  await source.query('ALTER TABLE public.accounts ADD PRIMARY KEY (id)', undefined, database);
  return sealDataset(source, { database, sizeGb, description: ONE_TABLE_DESCRIPTION }, started);
}
