import type { TableRef } from '@pgshift/plugin-api';
import type { SandboxConnection } from '@pgshift/sandbox';
import { connect } from './helpers.js';

/*
 * A workload for parallel apply: transactions on disjoint keys, transactions that all update the
 * same few rows (branches), parents and children linked by a foreign key created and removed
 * together, a table without a key, key changes, truncates and transactions too large to buffer.
 */

export const PARALLEL_SCHEMA = `
CREATE TABLE branches (id int PRIMARY KEY, total bigint NOT NULL);
CREATE TABLE accounts (id int PRIMARY KEY, branch_id int NOT NULL REFERENCES branches (id), balance bigint NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id), amount int NOT NULL);
CREATE TABLE audit (account_id int, note text);
ALTER TABLE audit REPLICA IDENTITY FULL;
CREATE TABLE entries (id bigint PRIMARY KEY, v int NOT NULL);
CREATE TABLE log (id int PRIMARY KEY);
CREATE TABLE hot (id int PRIMARY KEY, v int NOT NULL);
`;

export const PARALLEL_SEED = `
CREATE SEQUENCE ids START 100000;
INSERT INTO branches SELECT g, 0 FROM generate_series(1, 3) g;
INSERT INTO accounts SELECT g, 1 + g % 3, 0 FROM generate_series(1, 200) g;
INSERT INTO entries SELECT g, 0 FROM generate_series(1, 200) g;
INSERT INTO hot VALUES (1, 0), (2, 0);
`;

export const PARALLEL_TABLES: TableRef[] = [
  'branches',
  'accounts',
  'orders',
  'audit',
  'entries',
  'log',
  'hot',
].map((name) => ({ schema: 'public', name }));

const account = '(SELECT id FROM accounts ORDER BY random() LIMIT 1)';

/** One transaction of the mix, chosen by `i`. */
function transaction(i: number): string {
  switch (i % 9) {
    case 0: // disjoint keys, plus the conflict case: every transfer updates a branch
    case 1:
      return `BEGIN;
        WITH a AS (UPDATE accounts SET balance = balance + ${i % 50} WHERE id = ${account} RETURNING id, branch_id)
          UPDATE branches SET total = total + ${i % 50} WHERE id = (SELECT branch_id FROM a);
        INSERT INTO audit VALUES (${i}, 'transfer ${i}');
        COMMIT`;
    case 2: // a parent and its children in one transaction
      return `WITH a AS (INSERT INTO accounts VALUES (nextval('ids'), ${1 + (i % 3)}, 0) RETURNING id)
        INSERT INTO orders SELECT nextval('ids'), a.id, g FROM a, generate_series(1, 2) g`;
    case 3: // children referencing an existing parent, in a transaction of their own
      return `INSERT INTO orders SELECT nextval('ids'), id, ${i} FROM accounts ORDER BY random() LIMIT 3`;
    case 4: // children removed, then their parent
      return `DELETE FROM orders WHERE account_id = (SELECT max(id) FROM accounts WHERE id >= 100000);
        DELETE FROM accounts a WHERE id = (SELECT max(id) FROM accounts WHERE id >= 100000)
          AND NOT EXISTS (SELECT FROM orders o WHERE o.account_id = a.id)`;
    case 5: // a key change, and updates of rows other transactions touch
      return `UPDATE entries SET id = id + 1000000 WHERE id = (SELECT id FROM entries WHERE id < 1000000 ORDER BY random() LIMIT 1)`;
    case 6:
      return `UPDATE entries SET v = v + 1 WHERE id IN (SELECT id FROM entries ORDER BY random() LIMIT 5)`;
    case 7: // too large to buffer (parallelMaxTransactionChanges is small in the tests)
      return i % 4 === 3
        ? `INSERT INTO entries SELECT nextval('ids'), g FROM generate_series(1, 300) g`
        : `DELETE FROM audit WHERE ctid IN (SELECT ctid FROM audit ORDER BY random() LIMIT 2)`;
    default: // the order of a truncate against everything around it
      return i % 5 === 0
        ? 'BEGIN; TRUNCATE audit; INSERT INTO audit VALUES (0, $$after truncate$$); COMMIT'
        : `UPDATE accounts SET balance = balance - 1 WHERE id = ${account}`;
  }
}

/** `writers` sessions each running `count` transactions of the mix at once, so commits interleave. */
export async function runParallelWriters(
  source: SandboxConnection,
  database: string,
  writers: number,
  count: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const client = await connect(source, database);
      try {
        for (let i = 0; i < count; i++)
          // Concurrent writers may deadlock or lose a race for a row: that transaction is simply
          // not there on the source, and so must not be on the target.
          await client
            .query(transaction(i * writers + w))
            .catch(() => client.query('ROLLBACK').catch(() => {}));
      } finally {
        await client.end();
      }
    }),
  );
}
