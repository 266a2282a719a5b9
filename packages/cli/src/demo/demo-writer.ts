import { inTransaction } from '@pgshift/pg';
import type { SandboxServer } from '@pgshift/sandbox';

/** The shop keeps taking orders while it moves: one small transaction after another. */
export function startDemoWriter(server: SandboxServer, database: string) {
  let stopped = false;
  let transactions = 0;
  const done = (async () => {
    const client = await server.client(database);
    try {
      for (let i = 0; !stopped; i++) {
        await inTransaction(client, async () => {
          const { rows } = await client.query<{ id: string }>(
            `INSERT INTO orders (customer_id) SELECT id FROM customers ORDER BY random() LIMIT 1 RETURNING id`,
          );
          await client.query(
            `INSERT INTO order_items (order_id, product_id, quantity, unit_price)
             SELECT $1, id, 1 + ($2::int % 3), price FROM products ORDER BY random() LIMIT 2`,
            [rows[0]?.id, i],
          );
          await client.query(
            `UPDATE orders SET status = 'shipped' WHERE id = (SELECT min(id) FROM orders WHERE status = 'paid')`,
          );
          await client.query(`INSERT INTO page_views VALUES (now(), '/checkout', NULL)`);
          if (i % 10 === 0)
            await client.query(`UPDATE products SET price = price + 0.01 WHERE id = ${1 + (i % 500)}`);
          if (i % 15 === 0)
            await client.query(
              `DELETE FROM orders WHERE id = (SELECT max(id) FROM orders WHERE status = 'new')`,
            );
        });
        transactions++;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await client.end();
    }
  })();
  return {
    count: () => transactions,
    async stop() {
      stopped = true;
      await done;
      return transactions;
    },
  };
}
