import type { SandboxServer } from '@pgshift/sandbox';
import { runChecked } from './measure.js';
import { uri } from './servers.js';

/*
 * The backlogs of the apply-scale benchmark. Every one ends with a row in pgbench_history as its
 * last commit, so "the target holds the source's count of history rows" means "caught up" for a
 * consumer that commits in source order.
 */

export type WorkloadName = 'pgbench -N' | 'pgbench TPC-B' | '1M-row transaction';

export interface Workload {
  name: WorkloadName;
  /** What one backlog is, for the report. */
  describe: string;
  /** Source transactions per backlog, or rows for the bulk workload (the rate's unit). */
  units: number;
  unit: 'tx' | 'rows';
  make(pgbench: string, source: SandboxServer, database: string): Promise<void>;
}

function pgbenchRun(extra: string[], transactions: number, clients: number): Workload['make'] {
  return async (pgbench, source, database) => {
    const perClient = Math.ceil(transactions / clients);
    await runChecked(pgbench, [
      '-n',
      ...extra,
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      '-t',
      String(perClient),
      uri(source, database),
    ]);
  };
}

export function disjointKeys(transactions: number, clients: number): Workload {
  return {
    name: 'pgbench -N',
    describe: `${transactions} \`pgbench -N\` transactions (update one random account, insert a history row; tellers and branches untouched, so keys are mostly disjoint) from ${clients} clients`,
    units: transactions,
    unit: 'tx',
    make: pgbenchRun(['-N'], transactions, clients),
  };
}

export function tpcb(transactions: number, clients: number): Workload {
  return {
    name: 'pgbench TPC-B',
    describe: `${transactions} default pgbench (TPC-B-like) transactions from ${clients} clients: every one updates a row of pgbench_branches (the conflict case)`,
    units: transactions,
    unit: 'tx',
    make: pgbenchRun([], transactions, clients),
  };
}

export function bulk(rows: number): Workload {
  return {
    name: '1M-row transaction',
    describe: `one transaction updating ${rows} rows of pgbench_accounts, then one inserting a history row`,
    units: rows,
    unit: 'rows',
    make: async (_pgbench, source, database) => {
      await source.query(
        'UPDATE public.pgbench_accounts SET abalance = abalance + 1 WHERE aid <= $1',
        [rows],
        database,
      );
      await source.query(
        'INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 1, 0, now())',
        undefined,
        database,
      );
    },
  };
}
